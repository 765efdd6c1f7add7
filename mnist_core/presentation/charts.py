"""The Altair charts both pages draw. Built from plain data; no Streamlit here."""

from __future__ import annotations

import functools

import altair as alt
import numpy as np
import pandas as pd

from .smoothing import smoothed

HIGHLIGHT = "#ff4b4b"
MUTED = "#9aa5b1"
INK = "#1f2933"  # chart text: dark enough to read on a projector from the back of a room
DOTS = "#52606d"  # raw batch losses: visible under the smoothed line


def readable(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The pages' shared look: big, dark axis and legend text and a large title, readable
    from the back of a classroom on a projector."""
    return (
        chart.configure_axis(
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


def probability_chart(probabilities: np.ndarray | None) -> alt.Chart:
    """Ten bars, 0-9 always in order on a fixed 0-100% axis, the top one highlighted."""
    return (
        alt.Chart(probability_frame(probabilities), title="Probability of each digit")
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
                alt.Tooltip("digit:N", title="digit"),
                alt.Tooltip("probability:Q", title="probability", format=".1%"),
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
def probability_spec() -> dict:
    return without_data(readable(probability_chart(None)))


def activation_heatmap(activations: np.ndarray, layer: int) -> alt.Chart:
    """Each hidden unit as a cell, brighter the more strongly it fired for this drawing."""
    values = np.asarray(activations, float)
    columns = 64 if len(values) > 512 else 32
    index = np.arange(len(values))
    rows = -(-len(values) // columns)
    row_height = 14 if rows <= 32 else 9  # three networks side by side: 48 rows, still short
    frame = pd.DataFrame(
        {"unit": index, "row": index // columns, "col": index % columns, "activation": values}
    )
    return (
        alt.Chart(frame, title=f"Hidden layer {layer}: {len(values)} units")
        .mark_rect()
        .encode(
            x=alt.X("col:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=alt.Color("activation:Q", scale=alt.Scale(scheme="inferno"), legend=None),
            tooltip=["unit:Q", alt.Tooltip("activation:Q", format=".2f")],
        )
        .properties(height=max(60, row_height * rows))
    )


MAX_POINTS = 200  # a curve redrawn twice a second stays light for the browser
LOSS_AXIS = "loss (log scale)"
# A log scale: small losses late in training still show. Said in plain words under a title.
LOG_SCALE_NOTE = "Lower is better. Up the side, each step is 10 times more."


def loss_frame(losses: list[tuple[int, float]], max_points: int = MAX_POINTS) -> pd.DataFrame:
    """Batch losses and their moving average, thinned to at most `max_points` rows."""
    frame = pd.DataFrame(losses, columns=["step", "loss"])
    frame["smoothed"] = smoothed(frame["loss"].tolist())
    if len(frame) > max_points:
        keep = np.unique(np.linspace(0, len(frame) - 1, max_points).round().astype(int))
        frame = frame.iloc[keep]
    return frame


def loss_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """The raw batch losses as faint dots, and their moving average as a line over them."""
    base = alt.Chart(frame).encode(x=alt.X("step:Q", title="training step"))
    scale = alt.Scale(type="log")
    dots = base.mark_circle(size=28, opacity=0.6, color=DOTS).encode(
        y=alt.Y("loss:Q", scale=scale, title=LOSS_AXIS),
        tooltip=["step:Q", alt.Tooltip("loss:Q", format=".4f")],
    )
    line = base.mark_line(color=HIGHLIGHT, strokeWidth=3.5).encode(
        y=alt.Y("smoothed:Q", scale=scale),
        tooltip=["step:Q", alt.Tooltip("smoothed:Q", format=".4f", title="smoothed loss")],
    )
    return readable(
        (dots + line).properties(
            title=alt.Title(
                "How wrong it is (loss)",
                subtitle=["Dots: each batch. Line: the trend.", LOG_SCALE_NOTE],
                subtitleFontSize=15,
                subtitleColor=INK,
            ),
            height=400,
        )
    )


@functools.cache
def loss_spec() -> dict:
    return without_data(loss_chart(loss_frame([(1, 1.0)])))


TRAINING = "images it learns from"
VALIDATION = "new images (validation)"
CLASS = "class drawings"


def accuracy_frame(epochs: list) -> pd.DataFrame:
    rows = []
    for e in epochs:
        rows.append({"epoch": e.epoch, "data": TRAINING, "accuracy": e.train_accuracy})
        if e.val_accuracy is not None:
            rows.append({"epoch": e.epoch, "data": VALIDATION, "accuracy": e.val_accuracy})
        if e.class_accuracy is not None:
            rows.append({"epoch": e.epoch, "data": CLASS, "accuracy": e.class_accuracy})
    return pd.DataFrame(rows, columns=["epoch", "data", "accuracy"])


def accuracy_chart(frame: pd.DataFrame, with_class: bool = False) -> alt.Chart:
    """Accuracy after each epoch, on the training batches and on held-out images (and on
    the class's drawings, for a run that learns from them: only then in the legend)."""
    curves = [TRAINING, VALIDATION, CLASS] if with_class else [TRAINING, VALIDATION]
    chart = (
        alt.Chart(
            frame,
            title=alt.Title(
                "How many it gets right",
                subtitle=["after each pass over all the images (epoch)", "Higher is better."],
                subtitleFontSize=15,
                subtitleColor=INK,
            ),
        )
        .mark_line(point=alt.OverlayMarkDef(size=80), strokeWidth=3.5)
        .encode(
            x=alt.X("epoch:O", title="pass (epoch)", axis=alt.Axis(labelAngle=0)),
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
            tooltip=["epoch:O", "data:N", alt.Tooltip("accuracy:Q", format=".2%")],
        )
        .properties(height=400)
    )
    return readable(chart)


@functools.cache
def accuracy_spec(with_class: bool = False) -> dict:
    return without_data(accuracy_chart(accuracy_frame([]), with_class))


def confusion_chart(
    confusion: np.ndarray,
    title: str = "Which digit it read as which",
) -> alt.LayerChart:
    """Which digit was read as which: the diagonal is right, everything else a mistake."""
    rows = [
        {"true": str(t), "read as": str(p), "count": int(confusion[t, p]), "right": t == p}
        for t in range(10)
        for p in range(10)
    ]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(
        x=alt.X("read as:N", sort=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("true:N", sort=None, title="the digit it really was"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(type="symlog", scheme="reds"), legend=None),
        tooltip=["true:N", "read as:N", "count:Q"],
    )
    labels = base.mark_text(fontSize=14).encode(
        text="count:Q",
        color=alt.condition("datum.right", alt.value("white"), alt.value("black")),
    )
    return readable(
        (cells + labels).properties(
            title=alt.Title(title, subtitle="(a confusion matrix)", subtitleFontSize=15),
            height=460,
        )
    )
