"""Train page: set up a network, press start, watch it learn, keep what it learnt."""

from __future__ import annotations

import functools

import streamlit as st

from mnist_core.config import (
    ENGINE_NAMES,
    INITS,
    LOSSES,
    OPTIMIZER_NAMES,
    OUTPUTS,
    ConfigError,
    TrainConfig,
    parse_hidden,
)
from mnist_core.dataset import available_locally
from mnist_core.locations import models_dir
from mnist_core.presentation.charts import (
    accuracy_frame,
    accuracy_spec,
    comparison_chart,
    confusion_chart,
    loss_frame,
    loss_spec,
)
from mnist_core.presentation.describe import comparison_rows, loss_curves, progress, status_text
from mnist_core.presentation.pictures import enlarge
from mnist_core.presets import PRESETS
from mnist_core.runs.registry import RunView
from mnist_core.runs.saving import save_run
from mnist_core.runs.states import DIVERGED, STOPPED
from mnist_core.serving.model_files import SUFFIX, model_bytes
from mnist_core.serving.model_listing import list_models
from mnist_core.serving.model_names import MAX_NAME_LENGTH, clean_model_name
from pages import registry, through_app

through_app()

LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
BATCH_SIZES = [16, 32, 64, 128, 256, 512, 1024]
DEFAULT_PRESET = "keras-rmsprop"
LABELS = {
    "truncated_normal": "truncated normal (reference 1)",
    "uniform": "uniform 0 to 0.1 (reference 2)",
    "glorot": "Glorot (Keras's default)",
    "he": "He (made for ReLU)",
    "softmax": "softmax: probabilities",
    "linear": "linear: raw scores",
    "cross_entropy": "cross-entropy",
    "mse": "mean squared error",
    "sgd": "SGD (plain steps downhill)",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "scratch": "from scratch",
    "keras": "Keras model.fit",
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
    ).validate()


def control(widget, label: str, explanation: str, **kwargs) -> None:
    widget(label, **kwargs)
    st.caption(explanation)


def preset_picker() -> None:
    if "preset" not in st.session_state:
        st.session_state["preset"] = DEFAULT_PRESET
        apply_preset()
    control(
        st.selectbox,
        "Preset",
        PRESETS[st.session_state["preset"]].description,
        options=list(PRESETS),
        format_func=lambda name: PRESETS[name].title,
        key="preset",
        on_change=apply_preset,
    )


def settings_panel() -> None:
    """Every setting, with a line that says what it does; the preset fills them in."""
    choose = {"format_func": LABELS.get}
    control(
        st.text_input,
        "Hidden layers",
        "Units in each hidden layer, separated by commas. More units can learn more "
        "patterns but take longer.",
        key="hidden",
    )
    control(
        st.selectbox,
        "Starting weights",
        "Random starting weights make the units learn different things.",
        options=INITS,
        key="init",
        **choose,
    )
    control(
        st.selectbox,
        "Output layer",
        "Softmax turns the ten outputs into probabilities that add up to 1.",
        options=OUTPUTS,
        key="output",
        **choose,
    )
    control(
        st.selectbox,
        "Loss",
        "What training makes smaller. Cross-entropy punishes confident mistakes hard; "
        "squared error barely does, so it learns slowly.",
        options=LOSSES,
        key="loss",
        **choose,
    )
    control(
        st.selectbox,
        "Optimizer",
        "How each step uses the gradient. RMSprop and Adam adapt the step size per weight.",
        options=OPTIMIZER_NAMES,
        key="optimizer",
        **choose,
    )
    control(
        st.select_slider,
        "Learning rate",
        "How big each step downhill is. Too small: it crawls. Too big: the loss explodes.",
        options=LEARNING_RATES,
        format_func=lambda lr: f"{lr:g}",
        key="learning_rate",
    )
    control(
        st.toggle,
        "Slow down towards the end",
        "Shrinks the learning rate smoothly to zero (cosine decay) so the last steps settle.",
        key="cosine",
    )
    control(
        st.select_slider,
        "Batch size",
        "Images looked at before each update. Bigger batches: steadier but fewer steps.",
        options=BATCH_SIZES,
        key="batch_size",
    )
    control(
        st.slider,
        "Epochs",
        "Passes over all the training images.",
        min_value=1,
        max_value=60,
        key="epochs",
    )
    control(
        st.toggle,
        "Augment the images",
        "Tilts, resizes, shifts and thickens the digits at random, so the network also "
        "reads digits drawn by hand. Slower to learn, better on the Draw page.",
        key="augment",
    )
    control(
        st.radio,
        "Engine",
        "From scratch: NaiveDense layers and a hand-written update. Keras: the same network "
        "through model.fit.",
        options=ENGINE_NAMES,
        horizontal=True,
        key="engine",
        **choose,
    )
    control(
        st.number_input,
        "Random seed",
        "The same seed gives the same starting weights and image order: a run repeats.",
        min_value=0,
        max_value=1_000_000,
        step=1,
        key="seed",
    )


def start() -> None:
    try:
        config = settings_config()
    except ConfigError as exc:
        st.session_state["start_error"] = f"Cannot start: {exc}."
        return
    preset = st.session_state["preset"]
    same = PRESETS[preset].config == config
    name = preset if same else f"custom ({preset})"
    run_id = registry().submit(config, name, preset if same else None)
    st.session_state["run_id"] = run_id
    st.query_params["run"] = str(run_id)


def current_run_id() -> int | None:
    """This tab's run; after a refresh, the run in the address, else the newest active one."""
    if "run_id" in st.session_state:
        return st.session_state["run_id"]
    wanted = run_number(st.query_params.get("run"))
    runs = registry().runs()
    if wanted is not None and any(r.id == wanted for r in runs):
        return wanted
    newest = [r for r in runs if r.active] or runs
    return newest[0].id if newest else None


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
            st.markdown(f"#### Run {run.id}: {run.name}")
            st.markdown(f"**{status_text(run)}**")
            fraction, text = progress(run)
            st.progress(fraction, text=text)
        if run.active:
            st.button("Stop", on_click=registry().stop, args=(run.id,), type="secondary")
        if run.losses:
            left, right = st.columns(2)
            losses = list(run.losses)
            left.vega_lite_chart(loss_frame(losses), loss_spec(), width="stretch")
            if run.epochs:
                right.vega_lite_chart(
                    accuracy_frame(list(run.epochs)), accuracy_spec(), width="stretch"
                )
            else:
                right.caption("Accuracy appears after the first epoch.")

    view()


def result_view(run: RunView) -> None:
    with st.container(key="train-result"):
        if run.result is None:
            st.error(f"Run {run.id} failed: {run.message}")
            return
        accuracy = run.result.evaluation.accuracy
        st.markdown(f"### Test accuracy: {accuracy:.2%}")
        st.caption(f"On {run.result.evaluation.confusion.sum():,} test images it never saw.")
    if run.state == DIVERGED:
        st.error(run.message)
    elif run.state == STOPPED:
        st.warning(run.message)
    else:
        st.success(run.message)
    left, right = st.columns(2)
    left.altair_chart(confusion_chart(run.result.evaluation.confusion), width="stretch")
    with right:
        wrong = run.result.evaluation.wrong
        st.markdown(f"**Some test digits it got wrong** ({wrong:,} in all)")
        mistakes = run.mistakes
        if mistakes is not None and len(mistakes.labels):
            shown = slice(0, 24)
            st.image(
                [enlarge(img / 255.0, scale=2, grid=False) for img in mistakes.images[shown]],
                caption=[
                    f"{t} read as {p}"
                    for t, p in zip(mistakes.labels[shown], mistakes.predicted[shown])
                ],
            )
    if run.result.network is None:
        st.caption(
            "Only the last few runs keep their weights, to spare the server's memory: this "
            "one's are gone, so it can no longer be saved or drawn with."
        )
    else:
        save_panel(run)


@st.cache_resource(max_entries=2, ttl=600, show_spinner=False)
def model_download(run_id: int, name: str) -> bytes:
    """A run's model file, built only when someone asks for it, and kept for a repeat."""
    run = registry().get(run_id)
    if run is None or run.result is None or run.result.network is None:
        raise ValueError(f"run {run_id} no longer has weights to download")
    return model_bytes(run.result.network, run.result.metadata(name=name, preset=run.preset))


def file_name(name: str) -> str:
    """The download's file name: the typed name made safe, as saving makes it."""
    try:
        return clean_model_name(name) + SUFFIX
    except ValueError:
        return "model" + SUFFIX


def save_panel(run: RunView) -> None:
    st.markdown("#### Keep this model")
    name_col, save_col, download_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    name = name_col.text_input("Model name", value=f"run-{run.id}-{run.name}", key=f"name-{run.id}")
    if save_col.button("Save model", key=f"save-{run.id}"):
        try:
            path = save_run(run, name, models_dir())
        except (ValueError, FileExistsError, OSError) as exc:
            st.error(f"Not saved: {exc}")
        else:
            st.success(f"Saved as {path.name}. Pick it in the Draw page's model list.")
    download_col.download_button(
        "Download",
        data=functools.partial(model_download, run.id, name.strip()[:MAX_NAME_LENGTH]),
        file_name=file_name(name),
        mime="application/octet-stream",
        key=f"download-{run.id}",
    )
    if st.button("Draw with this model", key=f"draw-{run.id}"):
        st.session_state["model"] = f"run:{run.id}"
        st.switch_page("pages/draw.py")


def compare_view() -> None:
    runs = [r for r in registry().runs() if r.started is not None]
    saved = list_models(models_dir())
    if not runs and not saved:
        return
    with st.expander("Compare runs", expanded=False):
        st.caption(
            "Every run on this server and every saved model. Try the same network with "
            "cross-entropy and with squared error, or with learning rates 0.001 and 1."
        )
        st.dataframe(
            comparison_rows(runs, saved),
            hide_index=True,
            column_config={
                "test accuracy": st.column_config.NumberColumn(format="percent"),
                "learning rate": st.column_config.NumberColumn(format="%g"),
            },
        )
        curves = loss_curves(runs, saved)
        if curves:
            st.altair_chart(comparison_chart(curves), width="stretch")


st.title("Train a network")
st.caption(
    "Choose a network and how to train it, press start, and watch it learn: the loss "
    "should fall and the accuracy rise. Training runs in the background; you can switch "
    "to the Draw page and try the model while it learns."
)
settings_col, run_col = st.columns([2, 5], gap="large")
with settings_col:
    preset_picker()
    st.button("Start training", type="primary", on_click=start, width="stretch")
    error = st.session_state.pop("start_error", None)
    if error:
        st.error(error)
    limit = registry().max_concurrent
    st.caption(
        f"This server trains {limit} run{'s' if limit > 1 else ''} at a time; "
        "later starts wait in line."
    )
    if not available_locally(registry().settings.data_path):
        st.info(
            "MNIST is not on this machine yet: the first run downloads it (this needs the "
            "internet). Offline, set MNIST_PATH to a copy of mnist.npz before starting Digit Lab."
        )
    st.markdown("**Settings**")
    with st.container(height=560):
        settings_panel()

with run_col:
    run_id = current_run_id()
    run = None if run_id is None else registry().get(run_id)
    if run is None:
        st.info("No training yet: choose your settings and press **Start training**.")
    else:
        live_view(run.id, polling=run.active)
        if not run.active:
            result_view(run)
    compare_view()
