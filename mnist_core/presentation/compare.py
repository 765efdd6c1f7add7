"""The "Compare runs" chart: several runs' loss curves, readable at 2 runs or at 30.

One exploded run (a loss of 10,000,000) must not flatten every other curve: the axis stops
at a limit well above the typical loss, and what lies beyond is drawn on that limit with a
triangle. Ten colours are as many as eyes tell apart, so past ten runs the dash pattern
changes too. The key is a chart of its own below, so however many runs there are, the
curves keep their fixed height.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from mnist_core.i18n.translator import Translator

from .charts import ENGLISH, INK, log_scale_note, loss_axis, loss_frame, readable, step_axis

POINTS_PER_RUN = 200  # thinned, so 30 runs stay light in the browser
MAX_ROWS = 4000  # all runs together: below Altair's 5,000-row limit for inline data
CLIP_FACTOR = 100.0  # the axis ends this many times above the loss runs typically start at
COLOURS = 10  # category10: ten colours that look different from each other
DASHES = [[1, 0], [8, 4], [2, 3]]  # solid, dashed, dotted: for runs 1-10, 11-20, 21-30
HEIGHT = 420  # the curves' own height (titles included), whatever the number of runs
KEY_ROW = 26  # pixels per run in the key


def comparison_frame(curves: dict[str, list[list[float]]]) -> pd.DataFrame:
    """One row per drawn point: run, step, smoothed loss (clipped at the limit), the loss
    before clipping, and whether it was clipped; runs keep the order they are given in."""
    parts = []
    per_run = min(POINTS_PER_RUN, MAX_ROWS // max(len(curves), 1))
    for order, (name, points) in enumerate(curves.items()):
        if not points:
            continue
        parts.append(loss_frame(points, per_run).assign(run=name, order=order))
    if not parts:
        return pd.DataFrame(columns=["run", "order", "step", "loss", "smoothed", "clipped"])
    frame = pd.concat(parts, ignore_index=True).dropna(subset=["smoothed"])
    limit = clip_limit(frame.groupby("order")["smoothed"].first().to_numpy())
    frame["clipped"] = frame["smoothed"] > limit
    frame["loss"] = frame["smoothed"].clip(upper=limit)
    return frame[["run", "order", "step", "loss", "smoothed", "clipped"]]


def clip_limit(starts: np.ndarray) -> float:
    """Where the loss axis stops: CLIP_FACTOR times the median of the losses the runs began
    with. Runs that blow up still begin like the others, so however many blow up, only a
    loss far above a fresh network's is clipped."""
    finite = starts[np.isfinite(starts) & (starts > 0)]
    return float(np.median(finite) * CLIP_FACTOR) if finite.size else np.inf


def _scales(names: list[str]) -> tuple[alt.Scale, alt.Scale]:
    """The same colour and dash for a run in the curves and in the key."""
    dashes = [DASHES[min(i // COLOURS, len(DASHES) - 1)] for i in range(len(names))]
    return (
        alt.Scale(domain=names, scheme="category10"),
        alt.Scale(domain=names, range=dashes),
    )


def comparison_chart(frame: pd.DataFrame, tr: Translator = ENGLISH) -> alt.LayerChart:
    """The runs' smoothed loss curves on a log axis of fixed height, without a legend (see
    comparison_key); clipped points sit on the top edge as triangles."""
    names = list(dict.fromkeys(frame["run"]))
    colour, dash = _scales(names)
    base = alt.Chart(frame).encode(
        x=alt.X("step:Q", title=step_axis(tr)),
        y=alt.Y("loss:Q", scale=alt.Scale(type="log"), title=loss_axis(tr)),
        color=alt.Color("run:N", scale=colour, legend=None),
        tooltip=[
            # Translators: tooltip: which run (or saved model) a curve is.
            alt.Tooltip("run:N", title=tr("run")),
            alt.Tooltip("step:Q", title=step_axis(tr)),
            alt.Tooltip("smoothed:Q", format=".4g", title=tr("loss (smoothed)")),
        ],
    )
    lines = base.mark_line(strokeWidth=3).encode(
        strokeDash=alt.StrokeDash("run:N", scale=dash, legend=None)
    )
    clipped = (
        base.transform_filter("datum.clipped")
        .mark_point(shape="triangle-up", filled=True, size=90)
        .encode(y=alt.Y("loss:Q", scale=alt.Scale(type="log")))
    )
    title = alt.Title(
        tr("How wrong each run is (loss, smoothed)"),
        subtitle=[log_scale_note(tr), tr("▲ on the top edge: the loss was even higher there.")],
        subtitleFontSize=15,
        subtitleColor=INK,
    )
    return readable((lines + clipped).properties(title=title, height=HEIGHT), tr)


def comparison_key(frame: pd.DataFrame, tr: Translator = ENGLISH) -> alt.LayerChart:
    """Which line is which run: a short stroke of its colour and dash before each name, ten
    runs to a column (one column per dash pattern)."""
    names = list(dict.fromkeys(frame["run"]))
    colour, dash = _scales(names)
    columns = max(-(-len(names) // COLOURS), 1)
    rows = pd.DataFrame(
        [
            {"run": name, "row": i % COLOURS, "x": i // COLOURS, "stroke_end": i // COLOURS + 0.12}
            for i, name in enumerate(names)
        ],
        columns=["run", "row", "x", "stroke_end"],
    )
    base = alt.Chart(rows).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[0, columns]), axis=None),
        y=alt.Y("row:O", axis=None),
    )
    strokes = base.mark_rule(strokeWidth=4).encode(
        x2="stroke_end:Q",
        color=alt.Color("run:N", scale=colour, legend=None),
        strokeDash=alt.StrokeDash("run:N", scale=dash, legend=None),
    )
    labels = base.mark_text(align="left", baseline="middle", fontSize=15, dx=8).encode(
        x="stroke_end:Q", text="run:N"
    )
    height = KEY_ROW * min(len(names), COLOURS)
    chart = readable((strokes + labels).properties(height=height), tr)
    return chart.configure_view(stroke=None)
