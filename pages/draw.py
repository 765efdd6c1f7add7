"""Draw page: draw a digit, see the 28x28 image the network gets and what it thinks."""

from __future__ import annotations

import html
from typing import NamedTuple

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from mnist_core.presentation.charts import (
    activation_heatmap,
    described,
    probability_frame,
    probability_spec,
    probability_words,
)
from mnist_core.presentation.describe import state_name
from mnist_core.presentation.pictures import (
    NEGATIVE_CSS,
    POSITIVE_CSS,
    enlarge,
    signed_image,
    weight_image,
)
from mnist_core.presentation.streamlit_words import translating_script
from mnist_core.serving import reading as rd
from mnist_core.serving.drawings import DrawingRefused, canvas_pixels
from mnist_core.serving.explain import explain
from mnist_core.serving.model_files import ModelFileError
from mnist_core.serving.network import MLP
from mnist_core.serving.photo import photo_drawing
from mnist_core.serving.photo_file import MAX_PHOTO_MB, PhotoError
from mnist_core.serving.shape import SCRIBBLE, SEVERAL, TOO_SMALL
from mnist_core.storage.database import StorageError
from mnist_core.storage.drawings import NewDrawing
from pages import (
    class_store,
    network_for,
    pick_model,
    registry,
    session_id,
    through_app,
    tr,
    visitor,
)

through_app()
_ = tr()

CANVAS = 280
CANVAS_GENERATION = "canvas_generation"  # a new number gives a new, blank canvas (a label kept)
PENDING = "_label_pending"  # the reading and drawing a label would keep
KEPT = "_label_kept"  # this session's last kept drawing
LABEL_ERROR = "_label_error"


class Kept(NamedTuple):
    id: int
    label: int
    total: int  # the class's drawings after this one was kept


TOP_UNITS = 8
TEACHABLE = (SEVERAL, SCRIBBLE, rd.UNLIKE_DIGITS)  # "It is a digit:" follows these answers
START_DRAWING = "_start_drawing"  # (canvas key, Fabric JSON): what Undo or Reset left
# (canvas key, PNG data URL, stroke count): what the canvas showed when Undo or Reset asked
# for a redraw; while it still sends that, the redraw has not reached it yet.
REPLACED = "_replaced_drawing"
PHOTO_SHOWN = "_photo_shown"  # the photo control whose photo is read, until the next stroke
PHOTO_INK = "_photo_ink"  # (file id, the photo as the canvas's ink image): decoded once
LAST_CANVAS = "_last_canvas"  # what the canvas showed at the last run: a change is a stroke

# On a phone (Streamlit stacks columns below 640 px) the canvas and the answer come first,
# so both are in view while drawing; the model and brush follow them, the title shrinks.
# On big screens (a projector) the canvas is enlarged, and the canvas and answer stay at the
# top while the chart and "Inside the network" scroll beneath them.
PAGE_STYLE = """<style>
@media (max-width: 640px) {
  [data-testid=stMainBlockContainer] { padding-top: 3.75rem; }
  .st-key-intro h1 { font-size: 1.5rem; padding: 0.25rem 0 0; }
  .st-key-intro [data-testid=stCaptionContainer] { display: none; }
  [data-testid=stMainBlockContainer] > [data-testid=stVerticalBlock] > :has(> .st-key-settings) {
    order: 1;
  }
}
/* Beside an open sidebar (a tablet held sideways) the canvas's column keeps the whole canvas
   and the answer's column gives way. */
@media (min-width: 641px) {
  [data-testid=stHorizontalBlock]:has([data-testid=stBidiComponentIsolated]) {
    flex-wrap: nowrap;
  }
  [data-testid=stColumn]:has([data-testid=stBidiComponentIsolated]) { min-width: 282px; }
}
@media (min-width: 641px) and (min-height: 700px) {
  [data-testid=stLayoutWrapper]:has(> .st-key-drawing-row) {
    position: sticky; top: 3.75rem; z-index: 5;
    background: #fff; box-shadow: 0 -3.75rem 0 #fff;  /* also under the see-through header */
  }
  /* ...but never over the model and brush above it, before the page is scrolled. */
  .st-key-settings { position: relative; z-index: 6; }
}
@media (min-width: 1500px) and (min-height: 850px) {
  [data-testid=stBidiComponentIsolated] { zoom: 1.5; }
  [data-testid=stColumn]:has(.st-key-prediction) { zoom: 1.25; }
  [data-testid=stColumn]:has([data-testid=stBidiComponentIsolated]) { min-width: 424px; }
  .st-key-why-area { zoom: 1.25; }
}
@media (min-width: 1800px) and (min-height: 1000px) {
  [data-testid=stBidiComponentIsolated] { zoom: 1.9; }
  [data-testid=stColumn]:has(.st-key-prediction) { zoom: 1.5; }
  [data-testid=stColumn]:has([data-testid=stBidiComponentIsolated]) { min-width: 536px; }
  .st-key-why-area { zoom: 1.5; }
}
/* Big buttons a finger can find, always shown. */
.st-key-canvas-tools button { min-height: 3rem; padding: 0 1.25rem; }
.st-key-canvas-tools button p { font-size: 1.1rem; }
/* The block holding this style and the script below takes no room on the page. */
[data-testid=stVerticalBlock] > :has(> .st-key-page-setup) { display: none; }
</style>"""
# The canvas's own toolbar (its pencil icon turns drawing off) lives in a shadow root, out of
# reach of the page's CSS: this hides it in each canvas as it appears; the page's own Undo
# and Reset buttons replace it.
HIDE_TOOLBAR = """<script>
(() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(".dc-toolbar { display: none !important; }");
  const hide = () => document.querySelectorAll("[data-testid=stBidiComponentIsolated]")
    .forEach((host) => {
      const root = host.shadowRoot;
      if (root && !root.adoptedStyleSheets.includes(sheet)) {
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      }
    });
  new MutationObserver(hide).observe(document.body, { childList: true, subtree: true });
  hide();
})();
</script>"""
with st.container(key="page-setup"):
    st.html(
        PAGE_STYLE + HIDE_TOOLBAR + translating_script("photo", _), unsafe_allow_javascript=True
    )

with st.container(key="intro"):
    st.title(_("Draw a digit"))
    st.caption(
        _(
            "Draw one digit, 0 to 9, in the black square. After every line you draw, the "
            "network (a computer program that learnt from {count} handwritten digits) guesses "
            "which digit it is.",
            count=_.number(60_000),
        ),
        help=_(
            "Before reading it, the drawing is shrunk to 28x28 pixels, the way the MNIST "
            "digits the network learnt from were made."
        ),
    )

with st.container(key="settings"):
    picker_col, brush_col = st.columns([5, 6], gap="large")
    with picker_col:
        choice = pick_model(
            _("Model"),
            "model",
            _("The bundled model, runs trained on the Train page, and saved models."),
        )
    brush = brush_col.slider(
        _("Brush width"),
        8,
        40,
        20,
        key="brush",
        help=_(
            "How thick your pen is; changing it starts a new drawing. About 20 looks most "
            "like the digits the network learnt from, once the drawing is shrunk."
        ),
    )
PROBABILITY_SPEC = {
    **probability_spec(_),
    "title": {
        "text": _("How sure it is about each digit"),
        "subtitle": _(
            "The taller the bar, the surer. The ten bars add up to {whole}.",
            whole=_.percent(1),
        ),
    },
}
HEADLINES = {
    TOO_SMALL: (
        _("Draw it bigger"),
        _("That is very small. Draw your digit so it fills most of the square."),
        _(
            "Before reading, every drawing is blown up to fill the same box, so a tiny mark "
            "turns into a big smudge."
        ),
    ),
    SCRIBBLE: (
        _("That looks like a scribble"),
        _("Draw one digit with a few clear lines, then try again."),
        _("It covers far more of its square than any digit the network learnt from."),
    ),
    SEVERAL: (
        _("One digit at a time, please"),
        _("That looks like more than one digit side by side. Draw just one."),
        _("The network reads one digit at a time. It found separate pieces next to each other."),
    ),
    rd.UNLIKE_DIGITS: (
        _("That does not look like a digit"),
        _("The network only knows the ten digits, zero to nine. Draw one of those."),
        _(
            "A second, small network that learnt to tell digits apart from other shapes "
            "(lines, letters, scribbles) says this is not a digit, so the guess is not shown "
            "as an answer."
        ),
    ),
}
TOOLTIP = _(
    "How sure it is: the share of its belief the network gives this digit (its softmax "
    "output; a model with a linear output has its scores scaled to shares). The ten digits' "
    "shares add up to {whole}.",
    whole=_.percent(1),
)
# The verdict's colours, each at least 4.5:1 on the page's white (WCAG AA), and never the
# only sign: the words beside the big digit say the same.
VERDICT_COLOURS = {"confident": "#c62828", "unsure": "#9a5b00"}
QUIET = "#5f6b7a"  # a blank canvas or no digit: grey, 5.3:1 on white


def describe(reading: rd.Reading, from_photo: bool = False) -> None:
    """The verdict, big enough to read from the back of a classroom, and one plain line."""
    if reading.verdict == rd.BLANK and from_photo:
        big, headline = "?", _("No digit found in the photo")
        line = _("Write one digit, big and dark, on white paper, and take the photo again.")
        detail = ""
    elif reading.verdict == rd.BLANK:
        big, headline = "?", _("Draw a digit on the canvas")
        line, detail = _("The network's answer will appear here."), ""
    elif reading.verdict == rd.NOT_A_DIGIT:
        big = "?"
        headline, line, detail = HEADLINES[reading.reason or rd.UNLIKE_DIGITS]
    elif reading.verdict == rd.CONFIDENT:
        sure = _.percent(reading.confidence)
        # Translators: the two sentences differ only in English's article ("an 8").
        headline = (
            _("It's an {digit}! {percent} sure", digit=reading.digit, percent=sure)
            if reading.digit == 8
            else _("It's a {digit}! {percent} sure", digit=reading.digit, percent=sure)
        )
        big = reading.digit
        line, detail = _("Was it right? Tell it below."), TOOLTIP
    else:
        big = reading.digit
        headline = _("Not sure: only {percent}", percent=_.percent(reading.confidence))
        line = _("This is its best guess, but other digits are close. Try drawing it clearer.")
        detail = TOOLTIP
    big_html = (
        f"<div aria-hidden='true' style='font-size:96px;font-weight:700;line-height:1;"
        f"min-width:0.7em;color:{VERDICT_COLOURS.get(reading.verdict, QUIET)}'>{big}</div>"
    )
    # A polite live region: a screen reader speaks each new answer without the student
    # moving; the big digit is hidden from it, as the headline says it.
    words = (
        f"<div role='status' aria-live='polite' aria-atomic='true' class='verdict'>"
        f"<h3 style='padding:0 0 0.25rem'>{html.escape(headline)}</h3>"
        f"<p>{html.escape(line)}</p></div>"
    )
    st.markdown(
        f"<div style='display:flex;gap:1.25rem;align-items:center'>{big_html}{words}</div>",
        unsafe_allow_html=True,
        help=detail or None,
    )


def inside(reading: rd.Reading, network: MLP, members: int) -> None:
    """What each layer's units did with this drawing, and what the busiest ones look for."""
    if reading.probabilities is None:
        st.write(_("Draw a digit to see what happens inside the network."))
        return
    st.markdown(
        _(
            "The network is made of layers of small parts called **units**. Each unit looks "
            "at the drawing (or at the layer before it) and fires, strongly or not at all. The "
            "last layer turns what fired into the ten bars of the chart."
        ),
        help=_("A multi-layer perceptron: hidden layers of ReLU units, then a softmax output.")
        if network.output == "softmax"
        else _("A multi-layer perceptron: hidden layers of ReLU units, then a linear output."),
    )
    if members > 1:
        st.markdown(
            _(
                "This model is **{count} networks side by side**, trained alike from "
                "different random starts. Each one's units only listen to its own units; the "
                "answer is the average of their answers, which gets more digits right than "
                "any one of them.",
                count=members,
            ),
            help=_(
                "Each layer's units are the {count} networks' units one after another; the "
                "last layer averages their raw outputs before the softmax.",
                count=members,
            )
            if network.output == "softmax"
            else _(
                "Each layer's units are the {count} networks' units one after another; the "
                "last layer averages their raw outputs.",
                count=members,
            ),
        )
    for number, activations in enumerate(reading.hidden, start=1):
        chart = activation_heatmap(activations, number, _).properties(
            title=_(
                "Layer {layer}: each square is one of its {count} units; the brighter, the "
                "more it fires for your drawing",
                layer=number,
                count=_.number(len(activations)),
            )
        )
        st.altair_chart(chart, width="stretch")
    first = reading.hidden[0]
    top = np.argsort(first)[::-1][:TOP_UNITS]
    st.markdown(
        _(
            "**The {count} units of layer 1 that fire most for your drawing, and what each "
            "one looks for.** Orange pixels make a unit fire, blue ones hold it back: each unit "
            "looks for its own pattern of lines. The number is how strongly it fires now.",
            count=TOP_UNITS,
        ),
        help=_(
            "Each picture is the unit's 784 input weights as a 28x28 image; the number is "
            "its activation (ReLU output) for this drawing."
        ),
    )
    cols = st.columns(TOP_UNITS // 2)
    for i, unit in enumerate(top):
        cols[i % len(cols)].image(
            weight_image(network.weights[0][:, unit]),
            caption=_(
                "Unit {unit}: fires {strength}",
                unit=unit,
                strength=_.number(float(first[unit]), 1),
            ),
            alt=_("The pattern of lines unit {unit} looks for", unit=unit),
        )


WHY_HELP = _(
    "Each dot's colour is its brightness times how much the network's score for the digit "
    "(its output before the softmax) rises as that dot gets brighter: the gradient of the "
    "score with respect to the input, times the input. For a network of ReLU layers this is "
    "exact: the dots' values add up to the score, less a constant the biases give. The right "
    "picture does the same for the answer's score minus the runner-up's. Each picture has "
    "its own scale, the same for orange and blue."
)
WHY_WIDTH = 170  # two pictures side by side on a 390 px phone


def why(reading: rd.Reading, network: MLP) -> None:
    """Which pixels made the network give its answer, and which decide it over the
    runner-up: gradient times input, exact for a ReLU network (serving/explain.py)."""
    with st.container(key="why"):
        if reading.verdict not in (rd.CONFIDENT, rd.UNSURE) or reading.pixels is None:
            st.write(_("Draw a digit to see why the network gives its answer."))
            return
        reason = explain(network, reading.pixels, reading.hidden, reading.probabilities)
        answer, other = reason.answer, reason.runner_up
        st.markdown(
            _(
                "Orange dots pushed the network towards **{answer}**, blue dots pushed it away; "
                "the stronger the colour, the stronger the push.",
                answer=answer,
            )
        )
        with st.container(horizontal=True):
            st.image(
                signed_image(reason.towards, scale=10),
                caption=_("Why {answer}", answer=answer),
                alt=_(
                    "A map of your drawing: the dots that pushed the network towards {answer}",
                    answer=answer,
                ),
                width=WHY_WIDTH,
            )
            st.image(
                signed_image(reason.versus, scale=10),
                caption=_(
                    "Why {answer} and not {other}: orange for {answer}, blue for {other}",
                    answer=answer,
                    other=other,
                ),
                alt=_(
                    "A map of your drawing: the dots that made it {answer} rather than {other}",
                    answer=answer,
                    other=other,
                ),
                width=WHY_WIDTH,
            )
        st.markdown(why_legend(answer), unsafe_allow_html=True)


def why_legend(answer: int) -> str:
    """The colour scale in words, so the pictures never rest on colour alone."""
    ends = [
        (POSITIVE_CSS, _("orange: pushed towards {answer}", answer=answer)),
        ("#ffffff", _("white: no push")),
        (NEGATIVE_CSS, _("blue: pushed away from {answer}", answer=answer)),
    ]
    swatches = "".join(
        f"<span style='display:inline-flex;align-items:center;gap:0.35rem;margin-right:1rem'>"
        f"<span aria-hidden='true' style='width:1rem;height:1rem;background:{colour};"
        f"border:1px solid #5f6b7a;display:inline-block'></span>{html.escape(words)}</span>"
        for colour, words in ends
    )
    return f"<div style='font-size:0.9rem'>{swatches}</div>"


def label_area(reading: rd.Reading, drawing: np.ndarray | None) -> None:
    """Under the reading: one tap tells the network the truth, and the drawing is kept."""
    # A fixed height, so what follows does not jump as the controls come and go.
    with st.container(height=170, border=False):
        error = st.session_state.pop(LABEL_ERROR, None)
        if error:
            st.error(error)
        if drawing is not None and reading.pixels is not None:
            if reading.verdict in (rd.CONFIDENT, rd.UNSURE):
                st.session_state[PENDING] = (reading, drawing, choice.label)
                st.button(_("Right"), on_click=keep_right, type="primary", icon=":material/check:")
                digit_choice(
                    _("No, it's a"),
                    _(
                        "Was it wrong? Tap the digit you meant. Either answer adds your drawing "
                        "to the class's collection."
                    ),
                )
                return
            if reading.verdict == rd.NOT_A_DIGIT and reading.reason in TEACHABLE:
                # The detector can be wrong, and a digit it flags is the one the class most
                # needs to teach: the student says which digit it is.
                st.session_state[PENDING] = (reading, drawing, choice.label)
                digit_choice(
                    _("It is a digit:"),
                    _(
                        "Is it a digit after all? Tap which one: your drawing joins the "
                        "class's collection, and the network can learn from it."
                    ),
                )
                return
        st.session_state.pop(PENDING, None)
        kept = st.session_state.get(KEPT)
        if kept is not None:
            with st.container(key="labelled"):
                st.success(
                    _.plural(
                        "Kept: your {digit} is in the class's collection, which now has "
                        "{count} digit. Draw the next one!",
                        "Kept: your {digit} is in the class's collection, which now has "
                        "{count} digits. Draw the next one!",
                        kept.total,
                        digit=kept.label,
                        count=_.number(kept.total),
                    )
                )
                st.button(_("Take it back"), on_click=take_back, icon=":material/undo:")
        elif reading.verdict == rd.BLANK:
            st.caption(_("When it has read your digit, tell it whether it was right."))


def digit_choice(label: str, help: str) -> None:
    """The ten digits to tap; tapping one keeps the drawing with that label."""
    st.segmented_control(
        label,
        [str(digit) for digit in range(10)],
        key=f"truth-{st.session_state.get(CANVAS_GENERATION, 0)}",
        on_change=keep_choice,
        help=help,
    )


def keep_right() -> None:
    pending = st.session_state.get(PENDING)
    if pending is not None:
        keep(pending[0].digit)


def keep_choice() -> None:
    value = st.session_state.get(f"truth-{st.session_state.get(CANVAS_GENERATION, 0)}")
    if value is not None:
        keep(int(value))


def keep(label: int) -> None:
    """Keep the drawing just read with its true label, then clear the canvas for the next."""
    pending = st.session_state.pop(PENDING, None)
    if pending is None:
        return
    reading, drawing, model = pending
    try:
        store = class_store()
        kept_id = store.add(
            NewDrawing.from_reading(reading, drawing, label, model, session_id()),
            address=st.context.ip_address,  # None on this machine itself: the student's limit
            visitor=visitor(),  # the teacher is held to no pace
        )
        total = store.count()
    except StorageError as exc:  # too fast, or the database is busy: the label can be tapped again
        st.session_state[PENDING] = pending
        st.session_state[LABEL_ERROR] = _.render(exc)
        return
    st.session_state[KEPT] = Kept(kept_id, label, total)
    st.session_state[CANVAS_GENERATION] = st.session_state.get(CANVAS_GENERATION, 0) + 1
    for photo in (PHOTO_SHOWN, PHOTO_INK):  # the photo is not kept, only its 28x28 with the label
        st.session_state.pop(photo, None)


def take_back() -> None:
    kept = st.session_state.pop(KEPT, None)
    if kept is None:
        return
    try:
        class_store().take_back(kept.id, session_id())
    except StorageError as exc:
        st.session_state[KEPT] = kept
        st.session_state[LABEL_ERROR] = _.render(exc)


def chosen_run_is_training() -> bool:
    if choice.run_id is None:
        return False
    run = registry().get(choice.run_id)
    return run is not None and run.active


live = chosen_run_is_training()


@st.fragment(run_every=1.0 if live else None)
def drawing_area() -> None:
    """Canvas and reading rerun on their own for each stroke, without the rest of the page,
    and every second while the chosen model is still training."""
    if live and not chosen_run_is_training():
        st.rerun()  # training has ended: stop polling
    generation = st.session_state.get(CANVAS_GENERATION, 0)
    # A new brush gets a new canvas, and the reading goes with the old one: quick changes of
    # the brush used to mount the canvas afresh, blank, under the old drawing's reading.
    canvas_key = f"canvas-{generation}-{brush}"
    with st.container(key="drawing-row"):
        left, right = st.columns([5, 6], gap="large")
    # The photo goes under the canvas's column, outside the row: a phone stacks the columns,
    # and the answer must come straight after the canvas, in view while drawing.
    photo_col = st.columns([5, 6], gap="large")[0]
    with left:
        st_canvas(
            stroke_width=brush,
            stroke_color="#FFFFFF",
            background_color="#000000",
            width=CANVAS,
            height=CANVAS,
            drawing_mode="freedraw",
            initial_drawing=start_drawing(canvas_key),
            return_image_data=True,
            key=canvas_key,
        )
        with st.container(key="canvas-tools", horizontal=True):
            st.button(
                _("Undo"),
                icon=":material/undo:",
                on_click=undo,
                args=(canvas_key,),
                disabled=not current_strokes(canvas_key),
                help=_("Take back your last line."),
            )
            st.button(
                _("Reset canvas & history"),
                icon=":material/delete:",
                on_click=reset,
                args=(canvas_key,),
                help=_("Clear the canvas and start again."),
            )
    with photo_col:
        photo = photo_box(generation)
    problem = ""
    try:
        network = network_for(choice)
    except ModelFileError as exc:
        network = None
        problem = _("This model cannot be used: {reason}. Pick another one.", reason=exc)
    if stroked(canvas_key):
        st.session_state.pop(PHOTO_SHOWN, None)  # a new line on the canvas: read the canvas
    photo_read = photo is not None and bool(st.session_state.get(PHOTO_SHOWN))
    try:
        if photo_read:
            drawing = photo_ink(photo)
        else:
            sent = None if redrawing(canvas_key) else sent_drawing(canvas_key)
            drawing = canvas_pixels(sent, CANVAS, CANVAS)
    except (DrawingRefused, PhotoError) as exc:
        drawing, problem = None, problem or _.render(exc)
    if network is None or drawing is None:
        reading = rd.Reading(rd.BLANK, None, None)
    else:
        reading = rd.read_drawing(network, drawing)
    with right:
        show_answer(reading, network, drawing, problem, from_photo=photo_read)
    show_details(reading, network, choice.members)


def photo_box(generation: int) -> object | None:
    """The way in without the canvas: a digit written on paper, photographed with the
    camera or uploaded as a file. The photo to read (the one last taken or chosen), or
    None; a new canvas after a kept label brings new, empty controls, so the photo goes."""
    with st.container(key="photo"):
        st.markdown("**" + _("Or a digit written on paper") + "**")
        camera = st.toggle(
            _("Take a photo with the camera"),
            key="photo-camera",
            help=_("Write one digit with a dark pen, big, on white paper, and photograph it."),
        )
        shot = None
        if camera:
            shot = st.camera_input(
                _("Photo of your digit"),
                key=f"photo-shot-{generation}",
                on_change=show_photo,
                args=(f"photo-shot-{generation}",),
            )
        upload = st.file_uploader(
            _("Upload a photo of your digit (PNG or JPEG, up to {size} MB)", size=MAX_PHOTO_MB),
            type=["png", "jpg", "jpeg"],
            max_upload_size=MAX_PHOTO_MB,
            key=f"photo-file-{generation}",
            on_change=show_photo,
            args=(f"photo-file-{generation}",),
        )
    return {f"photo-shot-{generation}": shot, f"photo-file-{generation}": upload}.get(
        st.session_state.get(PHOTO_SHOWN, "")
    )


def show_photo(key: str) -> None:
    """A photo taken or chosen is read in place of the canvas (until the next stroke)."""
    st.session_state[PHOTO_SHOWN] = key if st.session_state.get(key) is not None else None


def photo_ink(photo) -> np.ndarray:
    """The photo as the canvas's ink image, decoded once per photo, not on every rerun."""
    cached = st.session_state.get(PHOTO_INK)
    if cached is None or cached[0] != photo.file_id:
        cached = (photo.file_id, photo_drawing(photo.getvalue()))
        st.session_state[PHOTO_INK] = cached
    return cached[1]


def stroked(canvas_key: str) -> bool:
    """Whether the canvas shows something new since the last run: a stroke, Undo or Reset."""
    now = shown(canvas_key)
    before = st.session_state.get(LAST_CANVAS)
    st.session_state[LAST_CANVAS] = now
    return before is not None and before != now and before[0] == now[0]


def canvas_state(canvas_key: str) -> dict:
    """What the browser last sent for this canvas ({} before it sent anything)."""
    state = st.session_state.get(canvas_key)
    drawing = state.get("drawing") if isinstance(state, dict) else None
    return drawing if isinstance(drawing, dict) else {}


def sent_drawing(canvas_key: str) -> object:
    """The canvas's PNG data URL as the browser sent it: checked before anything decodes it."""
    return canvas_state(canvas_key).get("data")


def strokes(canvas_key: str) -> list:
    """The canvas's strokes (Fabric objects), oldest first."""
    raw = canvas_state(canvas_key).get("raw")
    objects = raw.get("objects") if isinstance(raw, dict) else None
    return objects if isinstance(objects, list) else []


def start_drawing(canvas_key: str) -> dict | None:
    """What Undo or Reset left for this canvas to show; None for a canvas as it was drawn
    (a new brush or a kept label gives a new, blank canvas)."""
    kept = st.session_state.get(START_DRAWING)
    return kept[1] if kept is not None and kept[0] == canvas_key else None


def shown(canvas_key: str) -> tuple[str, object, int]:
    """What the canvas last said it shows: its key, picture and number of strokes."""
    return (canvas_key, sent_drawing(canvas_key), len(strokes(canvas_key)))


def redrawing(canvas_key: str) -> bool:
    """Undo or Reset asked the canvas to redraw, and it has not sent its new picture yet."""
    return st.session_state.get(REPLACED) == shown(canvas_key)


def current_strokes(canvas_key: str) -> list:
    """The strokes on the canvas now: those a redraw asked for until the canvas confirms
    them, so two quick taps on Undo take back two strokes."""
    if redrawing(canvas_key):
        return (start_drawing(canvas_key) or {}).get("objects", [])
    return strokes(canvas_key)


def undo(canvas_key: str) -> None:
    """Take back the last stroke."""
    objects = current_strokes(canvas_key)
    if objects:
        redraw(canvas_key, objects[:-1])


def reset(canvas_key: str) -> None:
    """Clear the canvas."""
    redraw(canvas_key, [])


def redraw(canvas_key: str, objects: list) -> None:
    """Have the canvas load these strokes in place of its own, then send what it shows.

    The same canvas redraws itself, so no second canvas appears while the page updates to
    catch a student's next stroke; the count makes every redraw new to the canvas, even one
    that matches an earlier one. Until the canvas has sent its new picture, the old one is
    not read: the old reading goes at once.
    """
    count = (start_drawing(canvas_key) or {}).get("redraw", 0) + 1
    if not redrawing(canvas_key):
        st.session_state[REPLACED] = shown(canvas_key)
    st.session_state[START_DRAWING] = (canvas_key, {"objects": objects, "redraw": count})


def show_answer(
    reading: rd.Reading,
    network,
    drawing: np.ndarray | None,
    problem: str = "",
    from_photo: bool = False,
) -> None:
    """The verdict (of the drawing, or of the photo just taken) and, under it, the buttons
    that tell the network the truth."""
    with st.container(key="prediction"):
        if problem:
            st.warning(problem)
        elif network is None:
            st.markdown(
                "### " + _("This run has not started learning yet"),
                help=_("It has no weights yet: they arrive with its first training steps."),
            )
            st.caption(_("Its answers appear as soon as it has practised a little."))
        else:
            describe(reading, from_photo)
            if from_photo:
                st.caption(_("Read from your photo. Draw on the canvas to read a drawing again."))
    label_area(reading, drawing)
    if choice.run_id is not None and network is not None:
        run = registry().get(choice.run_id)
        st.caption(
            _(
                "Run {run} ({state}): the network as it was after {steps} practice steps.",
                run=run.id,
                state=state_name(run.state, _),
                steps=_.number(run.live_step or 0),
            ),
            help=_("The run's weights after this many training steps (batches)."),
        )


def show_details(reading: rd.Reading, network: MLP | None, members: int) -> None:
    """Below the canvas and answer: why this answer, the ten probabilities, the 28x28 input,
    a look inside."""
    # Worked out only while switched on: switched off, it costs a stroke nothing.
    with st.container(key="why-area"):
        if st.toggle(_("Why this answer?"), key="why-open", help=WHY_HELP) and network is not None:
            why(reading, network)
    chart_col, image_col = st.columns([3, 2])
    chart_col.vega_lite_chart(
        probability_frame(reading.probabilities),
        described(PROBABILITY_SPEC, probability_words(reading.probabilities, _)),
        width="stretch",
    )
    pixels = np.zeros((28, 28)) if reading.pixels is None else reading.pixels
    image_col.image(
        enlarge(pixels, scale=8),
        caption=_("What the network sees: your drawing shrunk to a tiny square, 28 by 28 dots"),
        alt=_("Your drawing as the network receives it, 28 by 28 dots")
        if reading.pixels is not None
        else _("An empty square of 28 by 28 dots: nothing drawn yet"),
    )
    image_col.caption(
        _("Each dot is one number from 0 (black) to 1 (white): 784 numbers go into the network."),
        help=_(
            "The 28x28-pixel input, prepared as MNIST's digits were: cropped, scaled to fit "
            "a 20x20 box and centred by its centre of mass."
        ),
    )
    # Computed only while open: a collapsed expander costs a stroke nothing.
    expander = st.expander(_("Inside the network"), key="inside", on_change="rerun")
    if expander.open and network is not None:
        with expander:
            inside(reading, network, members)


drawing_area()
