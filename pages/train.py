"""Train page: set up a network, press start, watch it learn, keep what it learnt."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from mnist_core.access.roles import NotAllowed
from mnist_core.config import (
    ENGINE_NAMES,
    INITS,
    LOSSES,
    OPTIMIZER_NAMES,
    OUTPUTS,
    ConfigError,
    TrainConfig,
    parse_hidden,
    written,
)
from mnist_core.dataset import ClassSet, available_locally
from mnist_core.i18n import msg
from mnist_core.presentation.both_sides import both_sides
from mnist_core.presentation.charts import (
    accuracy_frame,
    accuracy_spec,
    accuracy_words,
    confusion_chart,
    described,
    loss_frame,
    loss_spec,
    loss_words,
)
from mnist_core.presentation.compare import comparison_chart, comparison_frame, comparison_key
from mnist_core.presentation.describe import (
    column_labels,
    comparison_rows,
    listing,
    loss_curves,
    progress,
    rough_duration,
    run_caption,
    run_title,
    state_name,
    status_text,
)
from mnist_core.presentation.model_picker import model_menu
from mnist_core.presentation.pictures import enlarge
from mnist_core.presentation.verdict import verdict
from mnist_core.presets import FINE_TUNE, PRESETS, changed_settings
from mnist_core.runs.estimate import estimate
from mnist_core.runs.keras_download import keras_file_bytes
from mnist_core.runs.process import TrainingInputs
from mnist_core.runs.registry import RunView
from mnist_core.runs.saving import (
    continuation,
    kept_network,
    remove_saved_model,
    run_metadata,
    save_run,
)
from mnist_core.runs.states import CANCELLED, DIVERGED, INTERRUPTED, STOPPED
from mnist_core.serving.model_files import SUFFIX, ModelFileError, model_bytes
from mnist_core.serving.model_listing import list_models
from mnist_core.serving.model_names import MAX_NAME_LENGTH, clean_model_name
from mnist_core.serving.network import MLP
from mnist_core.storage.database import StorageError
from mnist_core.storage.locations import models_dir
from pages import class_store, network_for, registry, through_app, tr, visitor

through_app()
_ = tr()

LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
BATCH_SIZES = [16, 32, 64, 128, 256, 512, 1024]
DEFAULT_PRESET = "keras-rmsprop"
RANDOM = "random"  # "Start from": random weights
RECENT_CURVES = 5  # runs drawn in "Compare runs" until someone picks others
COMPARE_PICKED = "_compare_picked"  # this session chose the runs to draw itself
FROM_ANOTHER_SERVER = _(
    "Another app server of this class trains this run: what you see is what it wrote down "
    "last (it does every {seconds} seconds), and drawing with it uses its weights after its "
    "last finished epoch.",
    seconds=2,
)
# The settings' choices in plain words (the keys are the settings' own values).
LABELS = {
    # Translators: a choice of "Starting weights".
    "truncated_normal": _("random, bell-shaped (truncated normal)"),
    "uniform": _("random between {low} and {high} (uniform)", low=0, high=_.number(0.1)),
    "glorot": _("random, sized to the layers (Glorot)"),
    "he": _("random, a little bigger (He)"),
    # Translators: a choice of "How the answer comes out (output layer)".
    "softmax": _("chances that add up to {whole} (softmax)", whole=_.percent(1)),
    "linear": _("raw scores (linear)"),
    # Translators: a choice of "How mistakes are scored (loss)".
    "cross_entropy": _("sure mistakes cost a lot (cross-entropy)"),
    "mse": _("squared difference (mean squared error)"),
    # Translators: a choice of "How it steps (optimizer)".
    "sgd": _("plain steps downhill (SGD)"),
    "rmsprop": _("steps that adapt (RMSprop)"),
    "adam": _("steps that adapt and keep going (Adam)"),
    # Translators: a choice of "Engine": the network's code written out by hand.
    "scratch": _("written by hand"),
    "keras": _("the Keras library"),
}


def apply_preset() -> None:
    """Copy a preset into every control, so a student sees what it means."""
    config = PRESETS[st.session_state["preset"]].config
    st.session_state.update(
        hidden=", ".join(map(str, config.hidden)),
        init=config.init,
        output=config.output,
        loss=config.loss,
        optimizer=config.optimizer,
        learning_rate=config.learning_rate,
        cosine=config.lr_schedule == "cosine",
        batch_size=config.batch_size,
        epochs=config.epochs,
        augment=config.augment,
        engine=config.engine,
        seed=config.seed,
        class_share=config.class_share,
    )


def settings_config() -> TrainConfig:
    s = st.session_state
    return TrainConfig(
        hidden=parse_hidden(s["hidden"]),
        init=s["init"],
        output=s["output"],
        loss=s["loss"],
        optimizer=s["optimizer"],
        learning_rate=float(s["learning_rate"]),
        lr_schedule="cosine" if s["cosine"] else "constant",
        batch_size=int(s["batch_size"]),
        epochs=int(s["epochs"]),
        augment=bool(s["augment"]),
        engine=s["engine"],
        seed=int(s["seed"]),
        class_share=float(s.get("class_share", TrainConfig.class_share)),
        # Not a setting of its own on the page: the preset's (the fine-tune preset's only).
        remember_weight=PRESETS[s.get("preset", DEFAULT_PRESET)].config.remember_weight,
    ).validate()


def control(widget, label: str, explanation: str, **kwargs) -> None:
    """A setting with its plain explanation under it; the precise terms go in `help`."""
    widget(label, **kwargs)
    st.caption(explanation)


def preset_picker(runs: list[RunView]) -> None:
    if "preset" not in st.session_state:
        st.session_state["preset"] = DEFAULT_PRESET
        apply_preset()
    preset = PRESETS[st.session_state["preset"]]
    # The menu's titles never change: the browser names the option it picked by its title.
    control(
        st.selectbox,
        _("Preset: a ready-made set of settings"),
        preset_description(preset.name),
        options=list(PRESETS),
        format_func=lambda name: _.render(PRESETS[name].title),
        key="preset",
        on_change=apply_preset,
        help=_.render(preset.detail) + preset_times(runs),
    )
    needed = time_needed(runs)
    if needed:
        st.caption(needed)
    if preset_description(preset.name) != _.render(preset.description):
        st.button(_("Back to this preset's settings"), on_click=apply_preset)


def preset_times(runs: list[RunView]) -> str:
    """How long each preset takes here, once runs have measured it, for the tooltip."""
    times = [(_.render(p.title), estimate(p.config, runs)) for p in PRESETS.values()]
    lines = [
        # Translators: one line of a list: a preset's name and how long it takes here.
        "- " + _("{preset}: {time}", preset=title, time=rough_duration(g.seconds, _))
        for title, g in times
        if g is not None
    ]
    return "\n\n" + _("On this server:") + "\n" + "\n".join(lines) if lines else ""


def preset_description(preset: str) -> str:
    """The preset's own words, until a setting changes: then they no longer apply."""
    try:
        changed = changed_settings(preset, settings_config())
    except ConfigError:
        return _("**Custom settings**: one setting cannot work yet (see the settings).")
    if not changed:
        return _.render(PRESETS[preset].description)
    return _(
        # Translators: {settings} lists the settings changed: "layers, batch size and seed".
        "**Custom settings**: you changed the {settings}, so what this preset promises no "
        "longer applies.",
        settings=listing([_.render(name) for name in changed], _),
    )


def time_needed(runs: list[RunView]) -> str:
    """How long these settings take on this server, measured by its earlier runs."""
    try:
        config = settings_config()
    except ConfigError:
        return ""
    guess = estimate(config, runs)
    if guess is None:
        return ":material/schedule: " + _(
            "Time: unknown until a first run finishes on this server; after that, every "
            "preset says how long it takes here."
        )
    time = rough_duration(guess.seconds, _)
    time = time[:1].upper() + time[1:]
    if guess.same_kind:
        return ":material/schedule: " + _(
            "**{time}** on this server (measured by run {run}).", time=time, run=guess.run_id
        )
    return ":material/schedule: " + _(
        "**{time}** on this server (measured by run {run}; run differently, so only roughly).",
        time=time,
        run=guess.run_id,
    )


def settings_panel(first, second) -> None:
    """Every setting, with a plain line that says what it does and the precise terms in its
    tooltip; the preset fills them in. The first six go in `first`, the rest in `second`."""
    choose = {"format_func": lambda value: LABELS.get(value, value)}
    with first:
        settings_network(choose)
    with second:
        settings_training(choose)


def settings_network(choose: dict) -> None:
    control(
        st.text_input,
        # Translators: units are the neurons of a layer.
        _("Units in the middle layers (hidden layers)"),
        _(
            "How many units each middle layer has, separated by commas. More units can "
            "learn more patterns but take longer."
        ),
        key="hidden",
        help=_(
            "Hidden layers sit between the 784 pixels going in and the 10 digits coming "
            "out: 512 makes the network 784-512-10, and 256, 128 makes it 784-256-128-10."
        ),
    )
    control(
        st.selectbox,
        _("Starting weights"),
        _("The network's numbers start random, so each unit learns something different."),
        options=INITS,
        key="init",
        help=_(
            "Truncated normal: a bell curve with its tails cut off (example program 1). "
            "Uniform: any value from {low} to {high} (example program 2). Glorot: Keras's "
            "default, scaled to the layer sizes. He: a little bigger, made for ReLU units.",
            low=0,
            high=_.number(0.1),
        ),
        **choose,
    )
    control(
        st.selectbox,
        _("How the answer comes out (output layer)"),
        _("Chances for the ten digits, or raw scores."),
        options=OUTPUTS,
        key="output",
        help=_(
            "Softmax turns the ten outputs into probabilities that add up to 1; linear "
            "leaves them as they are."
        ),
        **choose,
    )
    control(
        st.selectbox,
        # Translators: the loss: the score of how wrong the network's answers are.
        _("How mistakes are scored (loss)"),
        _(
            "Training makes this score smaller. One rule punishes sure-but-wrong answers "
            "hard; the other barely does, so it learns slowly."
        ),
        options=LOSSES,
        key="loss",
        help=_(
            "Cross-entropy: minus the log of the probability given to the right digit. "
            "Mean squared error: the squared differences from the one-hot answer."
        ),
        **choose,
    )
    control(
        st.selectbox,
        _("How it steps (optimizer)"),
        _("Every step moves the numbers a little downhill, towards fewer mistakes."),
        options=OPTIMIZER_NAMES,
        key="optimizer",
        help=_(
            "SGD: stochastic gradient descent, the same step size for every weight. "
            "RMSprop and Adam adapt the step size for each weight."
        ),
        **choose,
    )
    control(
        st.select_slider,
        _("Step size (learning rate)"),
        _(
            "How big each step is. Too small: it crawls. Too big: it jumps about and learns "
            "nothing."
        ),
        options=LEARNING_RATES,
        format_func=lambda lr: _.number(written(lr).value, written(lr).decimals),
        key="learning_rate",
        help=_("The learning rate multiplies the gradient in every update."),
    )


def settings_training(choose: dict) -> None:
    control(
        st.toggle,
        _("Slow down towards the end"),
        _("Steps get smaller and smaller, so the last ones settle."),
        key="cosine",
        help=_("Cosine decay: the learning rate falls along a cosine curve to zero over the run."),
    )
    control(
        st.select_slider,
        # Translators: a batch is the group of images looked at before each step.
        _("Batch size"),
        _("Images it looks at before each step. Bigger: steadier, but fewer steps."),
        options=BATCH_SIZES,
        key="batch_size",
    )
    control(
        st.slider,
        # Translators: an epoch is one pass over all the training images.
        _("Passes over all the images (epochs)"),
        _("Each pass shows the network every training image once."),
        min_value=1,
        max_value=60,
        key="epochs",
        help=_("One epoch is one pass over the training set."),
    )
    control(
        st.toggle,
        _("Practise on varied digits"),
        _(
            "Tilts, stretches, shifts and thickens the digits at random, so it also reads "
            "digits drawn by hand. Slower to learn, better on the Draw page."
        ),
        key="augment",
        help=_("Data augmentation: every batch is changed at random."),
    )
    control(
        st.radio,
        # Translators: the setting that picks the code that builds and trains the network.
        _("Engine"),
        _("Two ways to build the same network."),
        options=ENGINE_NAMES,
        horizontal=True,
        key="engine",
        help=_(
            "Written by hand: NaiveDense layers and a hand-written update (GradientTape). "
            "Keras: Dense layers trained by model.fit."
        ),
        **choose,
    )
    control(
        st.number_input,
        _("Random start number (seed)"),
        _("The same number gives the same random start and image order: a run repeats."),
        min_value=0,
        max_value=1_000_000,
        step=1,
        key="seed",
        help=_("The seed of the random number generator."),
    )


def learning_panel(runs: list[RunView]) -> None:
    """Where the network starts, and whether it learns from the class's own drawings too."""
    menu = model_menu(models_dir(), runs, _)
    starts = {RANDOM: _("random weights"), **{c.key: c.label for c in menu.choices}}
    if st.session_state.get("start_from") not in starts:
        found = menu.choice_for(st.session_state.get("start_from"))
        st.session_state["start_from"] = RANDOM if found is None else found.key
    control(
        st.selectbox,
        # Translators: the setting that picks the weights a run starts from.
        _("Start from"),
        _(
            "Random weights learn from nothing. A trained model goes on learning from what "
            "it already knows (fine-tuning): its layer sizes are used. A model that averages "
            "several networks side by side learns as one wide network: three side by side "
            "are about 8 times slower than one."
        ),
        options=list(starts),
        format_func=starts.get,
        key="start_from",
        on_change=start_changed,
    )
    control(
        st.toggle,
        _("Also learn from the class's drawings"),
        _(
            "Mixes the digits the class labelled on the Draw page into the training images "
            "(repeated, so a few hundred count against {images}) and keeps a quarter of them "
            "aside to score the network on: the class drawings curve. Starting from a "
            "trained model, it picks the gentle fine-tune preset, and the result shows both "
            "the class's drawings and MNIST, before and after.",
            images=_.number(55_000),
        ),
        key="class_data",
        on_change=pick_fine_tune,
    )


def start_changed() -> None:
    pick_fine_tune()
    take_start_layers()


def pick_fine_tune() -> None:
    """A trained model learning from the class gets the preset made for it: small steps,
    one pass, the class's drawings weighted more, so it learns their style and keeps MNIST."""
    trained = st.session_state.get("start_from", RANDOM) != RANDOM
    if trained and st.session_state.get("class_data"):
        st.session_state["preset"] = FINE_TUNE
        apply_preset()
        take_start_layers()


def start_choice():
    """The model chosen under "Start from", or None for random weights."""
    key = st.session_state.get("start_from", RANDOM)
    if key == RANDOM:
        return None
    menu = model_menu(models_dir(), registry().runs(), _)
    choice = {c.key: c for c in menu.choices}.get(key)
    if choice is None:
        raise ConfigError(msg("the model to start from is no longer there: choose another"))
    return choice


def start_network() -> MLP | None:
    choice = start_choice()
    if choice is None:
        return None
    network = network_for(choice)
    if network is None:
        raise ConfigError(msg("{model} has no weights yet: choose another", model=choice.label))
    return network


def take_start_layers() -> None:
    """A model to start from brings its own layer sizes and output."""
    try:
        network = start_network()
    except (ConfigError, ModelFileError) as exc:
        st.session_state["start_error"] = msg("Cannot start from it: {reason}.", reason=exc)
        return
    if network is not None:
        st.session_state["hidden"] = ", ".join(map(str, network.layer_sizes[1:-1]))
        st.session_state["output"] = network.output
        if network.output != "softmax":
            st.session_state["loss"] = "mse"


def start() -> None:
    submit(new_run, "start")


def new_run() -> tuple[TrainConfig, str, str | None, TrainingInputs]:
    """The run the settings describe: its config, name, preset and inputs."""
    config = settings_config()
    start_from = start_network()
    drawings = class_drawings() if st.session_state.get("class_data") else None
    if start_from is not None:
        # The model's name as the run records it (in the database, for every language).
        start_label = model_menu(models_dir(), registry().runs())
        start_label = {c.key: c.label for c in start_label.choices}[start_choice().key]
        config = config.replace(start_from=start_label).validate()
    if drawings is not None:
        config = config.replace(class_data=True)
    preset = st.session_state["preset"]
    if preset == FINE_TUNE and start_from is None:  # the command line refuses it too
        raise ConfigError(
            msg(
                # Translators: "Start from" is the name of a setting: write it as translated.
                "the preset for learning the class's handwriting adjusts a trained model: "
                "choose one under Start from"
            )
        )
    same = not changed_settings(preset, config)
    name = preset if same else f"custom ({preset})"
    return config, name, preset if same else None, TrainingInputs(drawings, start_from)


def submit(make: Callable[[], tuple], verb: str) -> None:
    """Queue the run `make` describes ("start" or "continue"); any refusal becomes one
    sentence under the button (kept as a Message, shown in the visitor's language)."""
    try:
        config, name, preset, inputs = make()
        run_id = registry().submit(config, name, preset, visitor(), inputs)
    except (ConfigError, ModelFileError, StorageError, ValueError) as exc:
        st.session_state["start_error"] = (
            msg("Cannot continue: {reason}.", reason=exc)
            if verb == "continue"
            else msg("Cannot start: {reason}.", reason=exc)
        )
        return
    except NotAllowed as exc:
        st.session_state["start_error"] = exc
        return
    st.session_state["run_id"] = run_id
    st.query_params["run"] = str(run_id)


def class_drawings() -> ClassSet:
    collection = class_store().collection()
    return ClassSet.from_images(collection.images, collection.labels).check_for_learning()


def stop(run_id: int) -> None:
    try:
        registry().stop(run_id, visitor())
    except (NotAllowed, StorageError) as exc:
        st.session_state["stop_error"] = exc


def teacher_controls() -> None:
    """Only for the teacher: who may start training, and removing saved models."""
    st.markdown("**" + _("Teacher") + "**")
    st.toggle(
        _("Only the teacher starts training"),
        value=registry().teacher_only,
        key="teacher_only",
        on_change=lambda: set_teacher_only(st.session_state["teacher_only"]),
        help=_("Students still see every run, and can draw with them and save them."),
    )
    st.button(
        _("Cancel all waiting runs"),
        on_click=cancel_waiting,
        key="cancel-waiting",
        help=_("Runs already training go on; every run waiting in line is cancelled."),
    )
    saved = list_models(models_dir())
    if saved:
        remove_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
        doomed = remove_col.selectbox(
            _("Saved model"), [info.path.name for info in saved], key="remove-choice"
        )
        button_col.button(_("Remove model"), on_click=remove_model, args=(doomed,))
    problem = st.session_state.pop("teacher_error", None)
    if problem:
        st.error(_.render(problem))


def set_teacher_only(on: bool) -> None:
    try:
        registry().set_teacher_only(on, visitor())
    except (NotAllowed, StorageError) as exc:
        st.session_state["teacher_error"] = exc


def cancel_waiting() -> None:
    try:
        registry().cancel_waiting(visitor())
    except (NotAllowed, StorageError) as exc:
        st.session_state["teacher_error"] = exc


def remove_model(file_name: str) -> None:
    try:
        remove_saved_model(models_dir(), file_name, visitor())
    except (NotAllowed, ValueError, OSError) as exc:
        st.session_state["teacher_error"] = msg("Not removed: {reason}", reason=exc)


def start_refusal(runs: list[RunView]) -> str | None:
    """Why this visitor may not start a run now, in one sentence; None when they may. The
    run list asks again as it refreshes (run_list), since what decides it changes on other
    servers and in other tabs; the registry decides again on the press (roles.may_start)."""
    me = visitor()
    if me.teacher:
        return None
    if registry().teacher_only:
        return _("Only the teacher starts training right now: watch the runs, draw with them.")
    mine = [r for r in runs if r.active and r.owner == me.session]
    if mine:
        return _("Your run {run} is waiting or training: one at a time.", run=mine[0].id)
    return None


def start_button(refusal: str | None) -> None:
    """Offered only to whoever may start a run now, else the sentence that says why not."""
    if refusal:
        st.info(refusal)
    else:
        st.button(_("Start training"), type="primary", on_click=start, width="stretch", key="start")


def current_run_id(runs: list[RunView]) -> int | None:
    """This tab's run; after a refresh, the run in the address (looked for in the database if
    it is another server's, not read here yet), else the newest active one."""
    if "run_id" in st.session_state:
        return st.session_state["run_id"]
    wanted = run_number(st.query_params.get("run"))
    if wanted is not None and (
        any(r.id == wanted for r in runs) or registry().find(wanted) is not None
    ):
        return wanted
    newest = [r for r in runs if r.active] or runs
    return newest[0].id if newest else None


def choose_run() -> None:
    """A run picked in the list becomes this tab's run, and the address names it."""
    run_id = st.session_state["run-choice"]
    if isinstance(run_id, int):  # else the text of a choice the list no longer has
        st.session_state["run_id"] = run_id
        st.query_params["run"] = str(run_id)


def run_list(shown: int, busy: bool, refusal: str | None) -> None:
    """Every run of this server, to switch between; refreshed every few seconds (more often
    while some run is busy), so other students' runs and their states appear unasked. The
    page drew Start, or the `refusal` in its place, once: when that no longer holds (the
    student's run ended while the page shows another, the teacher's switch changed on some
    server), the whole page is drawn again, Start in its one place."""

    @st.fragment(run_every=3 if busy else 10)
    def runs_now() -> None:
        if st.session_state.get("run_id", shown) != shown:
            st.rerun()  # a run was picked in the list: show it
        runs = registry().runs()
        if start_refusal(runs) != refusal:
            st.rerun()
        labels = {r.id: run_title(r, _) for r in runs}
        if shown in labels:
            st.session_state["run-choice"] = shown
        with st.container(height=260 if len(runs) > 6 else "content", key="run-list"):
            st.radio(
                _("Runs on this server"),
                list(labels),
                format_func=labels.get,
                captions=[run_caption(r, visitor().session, _) for r in runs],
                key="run-choice",
                on_change=choose_run,
                help=_(
                    "Every run of the class, newest first: those of this server and, where "
                    "the class has several, of the others. Pick one to see it."
                ),
            )

    runs_now()


def run_number(text: str | None) -> int | None:
    """A run id from the address; anything else ("²", a 5000-digit number) names no run."""
    if text and len(text) <= 9 and text.isascii() and text.isdigit():
        return int(text)
    return None


def live_view(run_id: int, polling: bool) -> None:
    @st.fragment(run_every=0.5 if polling else None)
    def view() -> None:
        run = registry().get(run_id)
        if polling and not run.active:
            st.rerun()  # the run has ended: redraw the page once with its results
        with st.container(key="train-status"):
            st.markdown(f"#### {run_title(run, _)}")
            st.markdown(f"**{status_text(run, _)}**")  # never empty: see status_text
            fraction, text = progress(run, _)
            st.progress(fraction, text=text)
            if run.active and run.from_database:
                st.caption(FROM_ANOTHER_SERVER)
        me = visitor()
        if run.active and (me.teacher or run.owner == me.session):
            st.button(_("Stop"), on_click=stop, args=(run.id,), type="secondary")
        problem = st.session_state.pop("stop_error", None)
        if problem:
            st.error(_.render(problem))
        if run.losses:
            left, right = st.columns(2)
            losses = list(run.losses)
            left.vega_lite_chart(
                loss_frame(losses), described(loss_spec(_), loss_words(losses, _)), width="stretch"
            )
            if run.epochs:
                right.vega_lite_chart(
                    accuracy_frame(list(run.epochs), _),
                    described(
                        accuracy_spec(run.config.class_data, _),
                        accuracy_words(list(run.epochs), _),
                    ),
                    width="stretch",
                )
            else:
                right.caption(_("Accuracy appears after the first epoch."))

    view()


def result_view(run: RunView) -> None:
    if run.result is None:
        with st.container(key="train-result"):
            said = _.render(run.said or run.message)
            if run.state == CANCELLED:
                st.info(_("Run {run} cancelled: {message}", run=run.id, message=said))
            elif run.state in (INTERRUPTED, STOPPED):
                st.warning(_("Run {run}: {message}", run=run.id, message=said))
            else:
                st.error(
                    # Translators: {state} is how the run ended (failed, diverged...).
                    _(
                        "Run {run} {state}: {message}",
                        run=run.id,
                        state=state_name(run.state, _),
                        message=said,
                    )
                )
        if run.state == INTERRUPTED and run.checkpoint:
            continue_panel(run)
        if run.live_network is not None or run.checkpoint:
            save_panel(run)
        return
    with st.container(key="train-result"):
        accuracy = run.result.evaluation.accuracy
        st.markdown("### " + _("Test accuracy: {accuracy}", accuracy=_.percent(accuracy, 2)))
        st.caption(
            _(
                "On {count} test images it never saw.",
                count=_.number(int(run.result.evaluation.confusion.sum())),
            )
        )
        class_result = run.result.class_evaluation
        sides = both_sides(run.result, _)
        if sides is not None:
            with st.container(key="both-sides"):
                st.markdown(f"**{sides.headline}**")
                st.markdown(f"- {sides.class_line}\n- {sides.mnist_line}")
                st.caption(_("Kept-aside drawings: it never learnt from these."))
        elif class_result is not None:
            st.markdown(
                "### "
                + _("Class drawings: {accuracy}", accuracy=_.percent(class_result.accuracy, 1))
            )
            st.caption(
                _(
                    "On {count} of the class's drawings kept aside: it never learnt from these.",
                    count=_.number(int(class_result.confusion.sum())),
                )
            )
    warning = verdict(run, _)
    said = _.render(run.said or run.message)
    if run.state == DIVERGED:
        st.error(said)
    elif warning is not None:
        with st.container(key="train-warning"):
            st.warning(f"**{warning.problem}** {warning.hint}", icon=":material/warning:")
    elif run.state == STOPPED:
        st.warning(said)
    else:
        st.success(said)
    left, right = st.columns(2)
    left.altair_chart(confusion_chart(run.result.evaluation.confusion, tr=_), width="stretch")
    left.caption(
        _(
            "Each row is a real digit, each column what the network read. The diagonal is "
            "right; every other square counts mistakes."
        )
    )
    with right:
        mistakes_gallery(run)
    if run.result.network is None and not run.checkpoint:
        st.caption(
            _(
                "Only the last few runs keep their weights, to spare the server's memory: "
                "this one's are gone, so it can no longer be saved or drawn with."
            )
        )
    else:
        save_panel(run)


def mistakes_gallery(run: RunView, shown: int = 24, per_row: int = 6) -> None:
    """Test digits it got wrong, each with its own caption in its own cell."""
    wrong = run.result.evaluation.wrong
    st.markdown(_("**Some test digits it got wrong** ({count} in all)", count=_.number(int(wrong))))
    mistakes = run.mistakes
    if mistakes is None or not len(mistakes.labels):
        return
    st.caption(_("Under each: the real digit → what the network read."))
    count = min(shown, len(mistakes.labels))
    for start in range(0, count, per_row):
        for cell, i in zip(st.columns(per_row), range(start, min(start + per_row, count))):
            cell.image(
                enlarge(mistakes.images[i] / 255.0, scale=2, grid=False),
                caption=f"{mistakes.labels[i]} → {mistakes.predicted[i]}",
                alt=_(
                    "A test digit {digit} that the network read as {read}",
                    digit=int(mistakes.labels[i]),
                    read=int(mistakes.predicted[i]),
                ),
            )


def continue_panel(run: RunView) -> None:
    """An interrupted run goes on from its last checkpoint, for the epochs it had left."""
    done = len(run.epochs)
    left = run.config.epochs - done
    st.button(
        # Translators: an epoch is one pass over all the training images.
        _.plural(
            "Continue training ({count} epoch left)",
            "Continue training ({count} epochs left)",
            left,
        ).format(count=left),
        type="primary",
        on_click=continue_run,
        args=(run.id,),
    )
    st.caption(
        _(
            "Starts a new run from the weights after step {step}, with the same settings. "
            "Carried over: the weights. Not carried over: the optimizer's memory (its "
            "running averages start again), the place in the learning-rate schedule, and "
            "the order of the images, so the loss may jump for a few steps.",
            step=_.number(run.checkpoint_step),
        )
    )


def continue_run(run_id: int) -> None:
    submit(lambda: continued(run_id), "continue")


def continued(run_id: int) -> tuple[TrainConfig, str, str | None, TrainingInputs]:
    run = registry().get(run_id)
    config, name = continuation(run)
    drawings = class_drawings() if config.class_data else None
    return config, name, None, TrainingInputs(drawings, kept_network(run))


@st.cache_resource(max_entries=2, ttl=600, show_spinner=False)
def model_download(run_id: int, name: str) -> bytes:
    """A run's model file, built only when someone asks for it, and kept for a repeat."""
    run = registry().get(run_id)
    network = None if run is None else kept_network(run)
    if network is None:
        raise ValueError(msg("run {run} no longer has weights to download", run=run_id))
    return model_bytes(network, run_metadata(run, name))


@st.cache_resource(max_entries=4, ttl=600, show_spinner=False)
def keras_download(run_id: int) -> bytes:
    """The run's model as a .keras file, made by a child process only when someone asks, one
    at a time (keras_file_bytes), and kept per run: a class asking for the same run's file
    under different names waits for one conversion."""
    return keras_file_bytes(model_download(run_id, f"run-{run_id}"))


def file_name(name: str) -> str:
    """The download's file name: the typed name made safe, as saving makes it."""
    try:
        return clean_model_name(name) + SUFFIX
    except ValueError:
        return "model" + SUFFIX


def save_panel(run: RunView) -> None:
    st.markdown("#### " + _("Keep this model"))
    name_col, save_col, download_col, keras_col = st.columns(
        [3, 1, 1, 1], vertical_alignment="bottom"
    )
    name = name_col.text_input(
        _("Model name"), value=f"run-{run.id}-{run.name}", key=f"name-{run.id}"
    )
    if save_col.button(_("Save model"), key=f"save-{run.id}"):
        try:
            path = save_run(run, name, models_dir(), visitor())
        except (ValueError, FileExistsError, OSError) as exc:
            st.error(_("Not saved: {reason}", reason=_.render(exc)))
        else:
            st.success(_("Saved as {file}. Pick it in the Draw page's model list.", file=path.name))
    download_col.download_button(
        _("Download"),
        data=functools.partial(model_download, run.id, name.strip()[:MAX_NAME_LENGTH]),
        file_name=file_name(name),
        mime="application/octet-stream",
        key=f"download-{run.id}",
    )
    keras_col.download_button(
        _("Download as Keras model"),
        data=functools.partial(keras_download, run.id),
        file_name=file_name(name).removesuffix(SUFFIX) + ".keras",
        mime="application/octet-stream",
        key=f"keras-download-{run.id}",
    )
    if st.button(_("Draw with this model"), key=f"draw-{run.id}"):
        st.session_state["model"] = f"run:{run.id}"
        st.switch_page("pages/draw.py")


def compare_view(runs: list[RunView]) -> None:
    runs = [r for r in runs if r.started is not None]
    saved = list_models(models_dir())
    if not runs and not saved:
        return
    with st.expander(_("Compare runs"), expanded=False):
        st.caption(
            _(
                "Every run of the class and every saved model. Try the same network with "
                "both ways of scoring mistakes, or with step sizes {small} and {big}.",
                small=_.number(0.001),
                big=_.number(1),
            )
        )
        headers = column_labels(_)
        shapes = {
            "name": st.column_config.TextColumn(headers["name"], width="large", pinned=True),
            "state": st.column_config.TextColumn(headers["state"], width="medium"),
            "test accuracy": st.column_config.NumberColumn(
                headers["test accuracy"], format="percent"
            ),
            "final loss": st.column_config.NumberColumn(headers["final loss"], format="%.3g"),
            "learning rate": st.column_config.NumberColumn(headers["learning rate"], format="%g"),
        }
        st.dataframe(
            comparison_rows(runs, saved, visitor().session, _),
            hide_index=True,
            column_config={key: shapes.get(key, header) for key, header in headers.items()},
        )
        curves = loss_curves(runs, saved, _)
        if curves:
            compare_curves(curves)


def compare_curves(curves: dict[str, list[list[float]]]) -> None:
    """The loss curves of the runs picked (the newest few until someone picks others)."""
    names = list(curves)  # newest runs first, then saved models
    if st.session_state.get(COMPARE_PICKED):
        picked = st.session_state.get("compare-choice") or []
        st.session_state["compare-choice"] = [name for name in picked if name in curves]
    else:  # until someone picks, the newest runs, new ones included as they come
        st.session_state["compare-choice"] = names[:RECENT_CURVES]
    chosen = st.multiselect(
        _("Runs to draw"),
        names,
        key="compare-choice",
        on_change=st.session_state.__setitem__,
        args=(COMPARE_PICKED, True),
        help=_("The newest few are drawn at first; add or remove any."),
        placeholder=_("Choose options"),
    )
    if not chosen:
        st.caption(_("Pick runs above to draw their loss curves."))
        return
    frame = comparison_frame({name: curves[name] for name in chosen})
    st.altair_chart(comparison_chart(frame, _), width="stretch")
    st.altair_chart(comparison_key(frame, _), width="stretch")


st.title(_("Train a network"))
st.caption(
    _(
        "Choose a network and how to train it, press start, and watch it learn: the loss "
        "(how wrong it is) should fall and the accuracy rise. Training runs in the "
        "background; you can switch to the Draw page and try the model while it learns."
    )
)
all_runs = registry().runs()
refusal = start_refusal(all_runs)
settings_col, run_col = st.columns([5, 11], gap="large")
with settings_col:
    preset_picker(all_runs)
    start_button(refusal)
    error = st.session_state.pop("start_error", None)
    if error and not refusal:  # a refused press: the sentence in Start's place says why
        st.error(_.render(error))
    limit = registry().max_concurrent
    st.caption(
        _.plural(
            "This server trains {count} run at a time; later starts wait in line.",
            "This server trains {count} runs at a time; later starts wait in line.",
            limit,
        ).format(count=limit)
    )
    if not available_locally(registry().settings.data_path):
        st.info(
            _(
                "MNIST is not on this machine yet: the first run downloads it (this needs the "
                "internet). Offline, set MNIST_PATH to a copy of mnist.npz before starting "
                "Digit Lab."
            )
        )
    learning_panel(all_runs)
    if visitor().teacher:
        teacher_controls()
    if all_runs:  # the right side shows a run: the settings stay here, one under another
        st.markdown("**" + _("Settings") + "**")
        settings_panel(st.container(), st.container())

with run_col:
    run_id = current_run_id(all_runs)
    run = None if run_id is None else registry().get(run_id)
    if run is None:
        st.info(
            # Translators: "Start training" is the button's label: write it as translated.
            _("No training yet: choose your settings and press **Start training**.")
        )
    if not all_runs:  # nothing to show yet: the settings use the width
        st.markdown("**" + _("Settings") + "**")
        settings_panel(*st.columns(2, gap="large"))
    else:
        run_list(run_id, busy=any(r.active for r in all_runs), refusal=refusal)
    if run is not None:
        live_view(run.id, polling=run.active)
        if not run.active:
            result_view(run)
    compare_view(all_runs)
