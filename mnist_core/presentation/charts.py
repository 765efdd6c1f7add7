"""The Altair charts both pages draw. Built from plain data; no Streamlit here.

Every word in a chart (titles, axes, legends, tooltips) comes through the visitor's
translator `tr`, and every chart carries the language's way of writing numbers
(`number_locale`: 0,5 and 50 % in German), so its axis ticks and tooltips read right too.
"""

from __future__ import annotations

import functools

import altair as alt
import numpy as np
import pandas as pd

from mnist_core.i18n.translator import Translator, english

from .smoothing import smoothed

HIGHLIGHT = "#ff4b4b"
MUTED = "#9aa5b1"
INK = "#1f2933"  # chart text: dark enough to read on a projector from the back of a room
DOTS = "#52606d"  # raw batch losses: visible under the smoothed line
ENGLISH = english()


def number_locale(tr: Translator = ENGLISH) -> dict:
    """How the language writes numbers, as Vega's `config.locale.number` (d3-format's
    locale): its decimal mark, its thousands separator and grouping, and its percent sign
    with the space the language puts before it ("50 %" in German and French)."""
    symbols = tr.locale.number_symbols.get("latn") or tr.locale.number_symbols
    decimal_pattern = tr.locale.decimal_formats[None]
    percent = tr.locale.percent_formats[None].pattern.split(";")[0]
    end = max(percent.rfind("0"), percent.rfind("#"))
    sign = symbols.get("percentSign", "%")
    after = percent[end + 1 :].replace("%", sign) if end >= 0 and "%" in percent[end:] else sign
    grouping = decimal_pattern.grouping[0] if decimal_pattern.grouping else 3
    return {
        "decimal": symbols.get("decimal", "."),
        "thousands": symbols.get("group", ","),
        "grouping": [int(grouping)] if 0 < grouping < 100 else [3],
        "currency": ["", ""],
        "percent": after,
    }


def localised(chart: alt.TopLevelMixin, tr: Translator = ENGLISH) -> alt.TopLevelMixin:
    """The chart with the language's numbers (see number_locale)."""
    return chart.configure(locale={"number": number_locale(tr)})


def readable(chart: alt.TopLevelMixin, tr: Translator = ENGLISH) -> alt.TopLevelMixin:
    """The pages' shared look: big, dark axis and legend text and a large title, readable
    from the back of a classroom on a projector; numbers written the visitor's way."""
    return (
        localised(chart, tr)
        .configure_axis(
            labelFontSize=15,
            titleFontSize=16,
            labelColor=INK,
            titleColor=INK,
            titleFontWeight="normal",
            gridColor="#d9e2ec",
        )
        .configure_title(fontSize=20, color=INK, anchor="start", fontWeight="bold", limit=0)
        .configure_legend(
            labelFontSize=15, titleFontSize=15, labelColor=INK, titleColor=INK, labelLimit=500
        )
        .configure_text(color=INK)
    )


def probability_frame(probabilities: np.ndarray | None) -> pd.DataFrame:
    """Ten rows, 0-9 in order, the most probable flagged; zeros for a blank drawing."""
    probs = np.zeros(10) if probabilities is None else np.asarray(probabilities, float)
    top = -1 if probabilities is None else int(np.argmax(probs))
    return pd.DataFrame(
        {"digit": [str(d) for d in range(10)], "probability": probs, "top": np.arange(10) == top}
    )


def probability_chart(probabilities: np.ndarray | None, tr: Translator = ENGLISH) -> alt.Chart:
    """Ten bars, 0-9 always in order on a fixed 0-100% axis, the top one highlighted."""
    return (
        alt.Chart(probability_frame(probabilities), title=tr("Probability of each digit"))
        .mark_bar()
        .encode(
            x=alt.X(
                "digit:N", sort=None, title=None, axis=alt.Axis(labelAngle=0, labelFontSize=20)
            ),
            y=alt.Y(
                "probability:Q",
                scale=alt.Scale(domain=[0, 1]),
                title=None,
                axis=alt.Axis(format="%", labelFontSize=14, tickCount=5),
            ),
            color=alt.condition("datum.top", alt.value(HIGHLIGHT), alt.value(MUTED)),
            tooltip=[
                alt.Tooltip("digit:N", title=tr("digit")),
                alt.Tooltip("probability:Q", title=tr("probability"), format=".1%"),
            ],
        )
        .properties(height=260)
    )


def without_data(chart: alt.TopLevelMixin) -> dict:
    """A chart's Vega-Lite spec with its data taken out, to send again with fresh data.

    Altair validates a spec each time it builds one (13 ms for the probability chart, 30 ms
    for the training charts); pages that redraw a chart on every stroke or twice a second
    build its spec once and send only new data.
    """
    spec = chart.to_dict()
    spec.pop("data", None)
    spec.pop("datasets", None)
    return spec


@functools.cache
def probability_spec(tr: Translator = ENGLISH) -> dict:
    """The probability chart's spec in the visitor's language (one per language, kept)."""
    return without_data(readable(probability_chart(None, tr), tr))


def activation_heatmap(activations: np.ndarray, layer: int, tr: Translator = ENGLISH) -> alt.Chart:
    """Each hidden unit as a cell, brighter the more strongly it fired for this drawing."""
    values = np.asarray(activations, float)
    columns = 64 if len(values) > 512 else 32
    index = np.arange(len(values))
    rows = -(-len(values) // columns)
    row_height = 14 if rows <= 32 else 9  # three networks side by side: 48 rows, still short
    frame = pd.DataFrame(
        {"unit": index, "row": index // columns, "col": index % columns, "activation": values}
    )
    title = tr.plural(
        # Translators: a chart's title; units are the neurons of the layer.
        "Hidden layer {layer}: {units} unit",
        "Hidden layer {layer}: {units} units",
        len(values),
        layer=layer,
        units=tr.number(len(values)),
    )
    chart = (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=alt.X("col:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=alt.Color("activation:Q", scale=alt.Scale(scheme="inferno"), legend=None),
            tooltip=[
                # Translators: tooltip: the number of a unit (neuron) in its layer.
                alt.Tooltip("unit:Q", title=tr("unit")),
                # Translators: tooltip: how strongly the unit fired.
                alt.Tooltip("activation:Q", format=".2f", title=tr("activation")),
            ],
        )
        .properties(height=max(60, row_height * rows))
    )
    return localised(chart, tr)


MAX_POINTS = 200  # a curve redrawn twice a second stays light for the browser


def loss_axis(tr: Translator = ENGLISH) -> str:
    # Translators: an axis title; the loss is how wrong the network is.
    return tr("loss (log scale)")


def log_scale_note(tr: Translator = ENGLISH) -> str:
    """A log scale: small losses late in training still show. Said in plain words under a
    title."""
    return tr("Lower is better. Up the side, each step is 10 times more.")


def step_axis(tr: Translator = ENGLISH) -> str:
    # Translators: an axis title: a step is one update of the weights, after one batch.
    return tr("training step")


LOSS_AXIS = loss_axis()  # in English, for whoever names the axis without a translator
LOG_SCALE_NOTE = log_scale_note()


def loss_frame(losses: list[tuple[int, float]], max_points: int = MAX_POINTS) -> pd.DataFrame:
    """Batch losses and their moving average, thinned to at most `max_points` rows."""
    frame = pd.DataFrame(losses, columns=["step", "loss"])
    frame["smoothed"] = smoothed(frame["loss"].tolist())
    if len(frame) > max_points:
        keep = np.unique(np.linspace(0, len(frame) - 1, max_points).round().astype(int))
        frame = frame.iloc[keep]
    return frame


def loss_chart(frame: pd.DataFrame, tr: Translator = ENGLISH) -> alt.LayerChart:
    """The raw batch losses as faint dots, and their moving average as a line over them."""
    step = step_axis(tr)
    base = alt.Chart(frame).encode(x=alt.X("step:Q", title=step))
    scale = alt.Scale(type="log")
    dots = base.mark_circle(size=28, opacity=0.6, color=DOTS).encode(
        y=alt.Y("loss:Q", scale=scale, title=loss_axis(tr)),
        tooltip=[
            alt.Tooltip("step:Q", title=step),
            # Translators: tooltip: the loss (how wrong it is) of one batch.
            alt.Tooltip("loss:Q", format=".4f", title=tr("loss")),
        ],
    )
    line = base.mark_line(color=HIGHLIGHT, strokeWidth=3.5).encode(
        y=alt.Y("smoothed:Q", scale=scale),
        tooltip=[
            alt.Tooltip("step:Q", title=step),
            alt.Tooltip("smoothed:Q", format=".4f", title=tr("smoothed loss")),
        ],
    )
    return readable(
        (dots + line).properties(
            title=alt.Title(
                tr("How wrong it is (loss)"),
                # Translators: a batch is the group of images looked at before each step.
                subtitle=[tr("Dots: each batch. Line: the trend."), log_scale_note(tr)],
                subtitleFontSize=15,
                subtitleColor=INK,
            ),
            height=400,
        ),
        tr,
    )


@functools.cache
def loss_spec(tr: Translator = ENGLISH) -> dict:
    """The loss chart's spec in the visitor's language (one per language, kept)."""
    return without_data(loss_chart(loss_frame([(1, 1.0)]), tr))


def curve_names(tr: Translator = ENGLISH) -> tuple[str, str, str]:
    """The accuracy chart's three curves: training images, validation images, the class's."""
    return (
        # Translators: a curve of the accuracy chart, in its legend.
        tr("images it learns from"),
        # Translators: a curve of the accuracy chart: images kept aside (validation set).
        tr("new images (validation)"),
        # Translators: a curve of the accuracy chart: the class's own kept-aside drawings.
        tr("class drawings"),
    )


TRAINING, VALIDATION, CLASS = curve_names()


def accuracy_frame(epochs: list, tr: Translator = ENGLISH) -> pd.DataFrame:
    training, validation, class_data = curve_names(tr)
    rows = []
    for e in epochs:
        rows.append({"epoch": e.epoch, "data": training, "accuracy": e.train_accuracy})
        if e.val_accuracy is not None:
            rows.append({"epoch": e.epoch, "data": validation, "accuracy": e.val_accuracy})
        if e.class_accuracy is not None:
            rows.append({"epoch": e.epoch, "data": class_data, "accuracy": e.class_accuracy})
    return pd.DataFrame(rows, columns=["epoch", "data", "accuracy"])


def accuracy_chart(
    frame: pd.DataFrame, with_class: bool = False, tr: Translator = ENGLISH
) -> alt.Chart:
    """Accuracy after each epoch, on the training batches and on held-out images (and on
    the class's drawings, for a run that learns from them: only then in the legend)."""
    names = curve_names(tr)
    curves = list(names) if with_class else list(names[:2])
    # Translators: an axis title: an epoch is one pass over all the training images.
    epoch = tr("pass (epoch)")
    chart = (
        alt.Chart(
            frame,
            title=alt.Title(
                tr("How many it gets right"),
                subtitle=[
                    tr("after each pass over all the images (epoch)"),
                    tr("Higher is better."),
                ],
                subtitleFontSize=15,
                subtitleColor=INK,
            ),
        )
        .mark_line(point=alt.OverlayMarkDef(size=80), strokeWidth=3.5)
        .encode(
            x=alt.X("epoch:O", title=epoch, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "accuracy:Q",
                title=None,
                axis=alt.Axis(format=".0%"),
                scale=alt.Scale(zero=False),
            ),
            color=alt.Color(
                "data:N",
                scale=alt.Scale(domain=curves, range=[DOTS, HIGHLIGHT, "#2f80ed"][: len(curves)]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[
                alt.Tooltip("epoch:O", title=epoch),
                # Translators: tooltip: which images a curve is measured on.
                alt.Tooltip("data:N", title=tr("images")),
                # Translators: tooltip: the share of images it reads right.
                alt.Tooltip("accuracy:Q", format=".2%", title=tr("accuracy")),
            ],
        )
        .properties(height=400)
    )
    return readable(chart, tr)


@functools.cache
def accuracy_spec(with_class: bool = False, tr: Translator = ENGLISH) -> dict:
    """The accuracy chart's spec in the visitor's language (one per language, kept)."""
    return without_data(accuracy_chart(accuracy_frame([], tr), with_class, tr))


def confusion_chart(
    confusion: np.ndarray,
    title: str | None = None,
    tr: Translator = ENGLISH,
) -> alt.LayerChart:
    """Which digit was read as which: the diagonal is right, everything else a mistake.
    `title`: already in the visitor's language; by default "Which digit it read as which"."""
    if title is None:
        title = tr("Which digit it read as which")
    true = tr("the digit it really was")
    # Translators: the confusion matrix's top axis: the digit the network read.
    read_as = tr("read as")
    # Translators: tooltip: how many images fall in this square of the confusion matrix.
    count = tr("count")
    rows = [
        {"true": str(t), "read": str(p), "count": int(confusion[t, p]), "right": t == p}
        for t in range(10)
        for p in range(10)
    ]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "read:N",
            sort=None,
            title=read_as,
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y("true:N", sort=None, title=true),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(type="symlog", scheme="reds"), legend=None),
        tooltip=[
            alt.Tooltip("true:N", title=true),
            alt.Tooltip("read:N", title=read_as),
            alt.Tooltip("count:Q", title=count),
        ],
    )
    labels = base.mark_text(fontSize=14).encode(
        text="count:Q",
        color=alt.condition("datum.right", alt.value("white"), alt.value("black")),
    )
    return readable(
        (cells + labels).properties(
            title=alt.Title(title, subtitle=tr("(a confusion matrix)"), subtitleFontSize=15),
            height=460,
        ),
        tr,
    )


def described(spec: dict, words: str) -> dict:
    """The spec with a text alternative: Vega gives the chart `words` as its accessible
    description, so a screen reader says what the picture shows."""
    return {**spec, "description": words}


def probability_words(probabilities: np.ndarray | None, tr: Translator = ENGLISH) -> str:
    """The chart of the ten probabilities in words: its three tallest bars."""
    if probabilities is None:
        return tr("No answer yet: all ten bars are empty.")
    top = np.argsort(probabilities)[::-1][:3]
    listed = ", ".join(
        tr("{digit}: {percent}", digit=int(d), percent=tr.percent(float(probabilities[d])))
        for d in top
    )
    # Translators: {answers} lists digits with how sure the network is, as "7: 98%, 1: 1%".
    return tr("How sure it is about each digit. The tallest bars: {answers}.", answers=listed)


def loss_words(losses: list[tuple[int, float]], tr: Translator = ENGLISH) -> str:
    """The loss chart in words: where the loss started and where it is now."""
    (first_step, first), (last_step, last) = losses[0], losses[-1]
    return tr(
        "How wrong it is (loss): {first} at step {first_step}, {last} at step {last_step}.",
        first=tr.number(first, 4),
        first_step=tr.number(first_step),
        last=tr.number(last, 4),
        last_step=tr.number(last_step),
    )


def accuracy_words(epochs: list, tr: Translator = ENGLISH) -> str:
    """The accuracy chart in words: the last epoch's figures."""
    last = epochs[-1]
    training, validation, class_data = curve_names(tr)
    parts = [f"{training} {tr.percent(last.train_accuracy, 1)}"]
    if last.val_accuracy is not None:
        parts.append(f"{validation} {tr.percent(last.val_accuracy, 1)}")
    if last.class_accuracy is not None:
        parts.append(f"{class_data} {tr.percent(last.class_accuracy, 1)}")
    return tr(
        "How many it gets right after epoch {epoch}: {figures}.",
        epoch=last.epoch,
        figures=", ".join(parts),
    )
