"""The Train page under Streamlit's AppTest (no browser): controls, refusals, a short run."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, SMALL_MNIST


@pytest.fixture
def train_page(monkeypatch, tmp_path) -> AppTest:
    monkeypatch.setenv("MNIST_PATH", str(SMALL_MNIST))
    monkeypatch.setenv("DIGITLAB_MODELS_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    return at


def train_page_at(address_run: str) -> AppTest:
    """The Train page as a visitor opening /train?run=... sees it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["run"] = address_run
    at.run()
    return at.switch_page("pages/train.py").run()


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def caption_of(at: AppTest, run_id: int) -> str:
    """What the run list says under a run: its state, accuracy, who started it."""
    runs = at.radio(key="run-choice")
    return runs.proto.captions[runs.options.index(f"Run {run_id}: {name_of(run_id)}")]


def name_of(run_id: int) -> str:
    """The run's name as the page shows it (a preset's in words, "custom (...)" around one)."""
    from mnist_core.presets import run_name
    from pages import registry

    return str(run_name(registry().get(run_id).name))


def test_controls_render_with_a_line_of_explanation_each(train_page):
    at = train_page
    assert [b.label for b in at.button][:1] == ["Start training"]
    assert at.selectbox(key="preset").value == "keras-rmsprop"
    for key in ("hidden", "learning_rate", "batch_size", "epochs", "seed"):
        assert at.session_state[key] is not None
    assert len(at.caption) >= 12
    assert "No training yet" in at.info[0].value


def test_choosing_a_preset_fills_in_its_settings(train_page):
    at = train_page
    at.selectbox(key="preset").set_value("seed-mse-mlp").run()
    assert at.text_input(key="hidden").value == "256, 128"
    assert at.selectbox(key="loss").value == "mse"
    assert at.selectbox(key="output").value == "linear"
    assert at.session_state["epochs"] == 10


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("hidden", "", "at least one hidden layer"),
        ("hidden", "12, many", "whole numbers"),
        ("hidden", "100000", "1 to 4096 units"),
        ("hidden", "4096, 4096, 4096", "too many"),
    ],
)
def test_settings_that_cannot_work_are_refused_before_anything_starts(
    train_page, key, value, message
):
    at = train_page
    at.text_input(key=key).set_value(value).run()
    at.button(key="start").click().run()
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert "No training yet" in at.info[0].value


def test_cross_entropy_needs_softmax(train_page):
    at = train_page
    at.selectbox(key="output").set_value("linear").run()
    at.button(key="start").click().run()
    assert any("softmax" in e.value for e in at.error)


def run_to_the_end(at, timeout: float = 120):
    """Start a run with the page's settings, wait for it to finish, show the page again."""
    from pages import registry

    at.button(key="start").click().run()
    view = registry().wait(at.session_state["run_id"], timeout=timeout)
    assert view.state == "finished", view.message
    at.run()
    assert not at.exception
    return view


def test_a_short_run_finishes_and_shows_its_result(train_page):
    at = train_page
    at.text_input(key="hidden").set_value("32").run()
    at.slider(key="epochs").set_value(2).run()
    view = run_to_the_end(at)
    run_id = view.id
    assert f"Test accuracy: {view.result.evaluation.accuracy:.2%}" in texts(at)
    assert any("Training finished" in s.value for s in at.success)
    at.text_input(key=f"name-{run_id}").set_value("apptest model").run()
    at.button(key=f"save-{run_id}").click().run()
    assert any("Saved as apptest-model.npz" in s.value for s in at.success)
    at.button(key=f"save-{run_id}").click().run()
    assert any("already exists" in e.value for e in at.error)


def test_a_run_that_diverges_says_where_and_what_to_try(train_page):
    from pages import registry

    at = train_page
    at.selectbox(key="preset").set_value("seed-mse-mlp").run()
    at.select_slider(key="learning_rate").set_value(10.0).run()
    at.button(key="start").click().run()
    view = registry().wait(at.session_state["run_id"], timeout=120)
    assert view.state == "diverged"
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "NaN or infinite at step" in errors and "ten times smaller (1)" in errors
    assert "Test accuracy" in texts(at)


@pytest.fixture
def fake_runs(monkeypatch, tmp_path):
    """Finished runs on the page's own registry, from a fake training process (no TensorFlow)."""
    from mnist_core.runs import registry as registry_module
    from pages import registry
    from tests import fake_training as fake

    monkeypatch.setattr(registry_module, "train_in_child", fake.fake_child)
    monkeypatch.setenv("DIGITLAB_MODELS_DIR", str(tmp_path))

    def finished(count: int) -> list[int]:
        ids = [registry().submit(fake.config(fake.FINISH), "fake") for _ in range(count)]
        assert all(registry().wait(run_id, timeout=120).state == "finished" for run_id in ids)
        return ids

    return finished


@pytest.mark.parametrize("address_run", ["²", "9" * 5000, "1e3"])
def test_an_odd_run_number_in_the_address_names_no_run(fake_runs, address_run):
    (run_id,) = fake_runs(1)  # with no run at all, the address is never read
    at = train_page_at(address_run)
    assert not at.exception
    assert f"Run {run_id}: fake" in texts(at)  # the newest run, as without an address


def test_the_download_is_built_only_when_asked_for(fake_runs, monkeypatch):
    from mnist_core.serving import model_files

    (run_id,) = fake_runs(1)
    built = []
    real = model_files.model_bytes

    def counting(network, metadata):
        if "checkpoint_step" not in metadata:  # not the registry's own checkpoint files
            built.append(metadata)
        return real(network, metadata)

    monkeypatch.setattr(model_files, "model_bytes", counting)
    at = train_page_at(str(run_id))
    at.run()
    at.text_input(key=f"name-{run_id}").set_value("a/b\nc").run()
    assert not at.exception
    assert at.get("download_button")[0].proto.label == "Download"
    assert built == []  # a rerun costs no serialising: the file is made on a click


def test_a_run_past_the_last_few_lets_go_of_its_network_but_keeps_its_checkpoint(fake_runs):
    from mnist_core.runs.registry import KEEP_NETWORKS
    from pages import registry

    oldest, *_ = fake_runs(KEEP_NETWORKS + 1)
    view = registry().wait(oldest, until=lambda v: v.live_network is None, timeout=30)
    assert view.result.network is None and view.checkpoint  # in its file, not in memory
    at = train_page_at(str(oldest))
    assert not at.exception
    assert "Test accuracy" in texts(at)
    assert f"save-{oldest}" in [b.key for b in at.button]  # saved from the checkpoint


def test_the_run_list_switches_between_runs_and_keeps_the_address(fake_runs):
    older, newer = fake_runs(2)
    at = train_page_at(str(newer))
    choice = at.radio(key="run-choice")
    assert choice.value == newer
    assert caption_of(at, older).startswith("finished")
    choice.set_value(older).run()
    assert not at.exception
    assert f"Run {older}: fake" in texts(at)
    assert at.query_params["run"] in (str(older), [str(older)])
    assert at.radio(key="run-choice").value == older


def test_a_run_cancelled_while_waiting_reads_cancelled_not_failed(fake_runs):
    from pages import registry
    from tests import fake_training as fake

    busy = registry().submit(fake.config(fake.UNTIL_STOPPED), "busy")
    waiting = registry().submit(fake.config(fake.FINISH), "waiting")
    try:
        registry().stop(waiting)
        at = train_page_at(str(waiting))
        assert not at.exception
        assert any(f"Run {waiting} cancelled" in i.value for i in at.info)
        assert not any(f"Run {waiting}" in e.value for e in at.error)
        assert caption_of(at, waiting).startswith("cancelled")
    finally:
        registry().stop(busy)
        registry().wait(busy, timeout=60)


def test_changed_settings_make_the_preset_custom(train_page):
    at = train_page
    assert any("about 98%" in c.value for c in at.caption)
    at.select_slider(key="learning_rate").set_value(10.0).run()
    at.slider(key="epochs").set_value(1).run()
    captions = " ".join(c.value for c in at.caption)
    assert "about 98%" not in captions
    assert "Custom settings" in captions and "learning rate" in captions and "epochs" in captions


def test_a_run_that_did_not_learn_is_not_shown_as_a_success(train_page):
    at = train_page
    at.select_slider(key="learning_rate").set_value(10.0).run()  # RMSprop at 10: lost
    at.slider(key="epochs").set_value(1).run()
    run_id = run_to_the_end(at, timeout=180).id
    warnings = " ".join(w.value for w in at.warning)
    assert "This run did not learn" in warnings
    assert "(learning rate) may be too big (10)" in warnings
    assert not any("Training finished" in s.value for s in at.success)
    assert caption_of(at, run_id).startswith("finished, did not learn")
    # This run measured the server's speed: the preset now says how long it takes.
    assert any(f"measured by run {run_id}" in c.value for c in at.caption)


def test_a_trained_start_learning_from_the_class_picks_the_fine_tune_preset(train_page):
    at = train_page
    at.toggle(key="class_data").set_value(True).run()
    assert at.selectbox(key="preset").value == "keras-rmsprop"  # from random weights: as it was
    at.selectbox(key="start_from").set_value("bundled").run()
    assert not at.exception
    assert at.selectbox(key="preset").value == "fine-tune"
    assert at.session_state["learning_rate"] == 1e-4 and at.session_state["epochs"] == 1
    from mnist_core.serving.model_files import BUNDLED_MODEL, load_model

    layers = load_model(BUNDLED_MODEL).network.layer_sizes[1:-1]
    assert at.text_input(key="hidden").value == ", ".join(map(str, layers))
    captions = " ".join(c.value for c in at.caption)
    assert "learns your style and keeps reading MNIST" in captions  # not "Custom settings"


def test_the_fine_tune_preset_from_random_weights_is_refused(train_page):
    from pages import registry

    at = train_page
    runs = len(registry().runs())  # the server's registry: earlier tests' runs are there
    at.selectbox(key="preset").set_value("fine-tune").run()
    at.button(key="start").click().run()
    assert any("adjusts a trained model" in e.value for e in at.error), at.error
    assert len(registry().runs()) == runs


def test_cancel_all_waiting_runs_says_when_the_database_cannot_be_reached(train_page, monkeypatch):
    """Other servers' waiting runs are cancelled through the database: when it fails, the
    teacher reads one sentence, not a traceback."""
    from mnist_core.storage.database import StorageError
    from pages import registry

    def unreachable(visitor=None):
        raise StorageError("The class's drawings cannot be kept right now (it is down).")

    monkeypatch.setattr(registry(), "cancel_waiting", unreachable)
    at = train_page
    at.session_state["_digit_lab_teacher"] = True
    at.run()
    at.button(key="cancel-waiting").click().run()
    assert not at.exception
    assert any("cannot be kept right now" in e.value for e in at.error)


def test_the_page_renders_in_another_language(monkeypatch, tmp_path):
    """?lang=de: every text goes through the German catalog (English where it has no
    translation yet), numbers and charts the German way, and nothing breaks."""
    monkeypatch.setenv("MNIST_PATH", str(SMALL_MNIST))
    monkeypatch.setenv("DIGITLAB_MODELS_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "de"
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert at.button(key="start") is not None and at.selectbox(key="preset").value
    at.text_input(key="hidden").set_value("").run()
    at.button(key="start").click().run()
    assert not at.exception and at.error  # the refusal, rendered through the catalog


def test_charts_write_numbers_the_language_s_way():
    from mnist_core.i18n.translator import translator
    from mnist_core.presentation.charts import accuracy_spec, loss_spec, number_locale

    german = translator("de")
    assert number_locale(german)["decimal"] == "," and number_locale(german)["percent"] == "\xa0%"
    assert number_locale(translator("en"))["percent"] == "%"
    assert accuracy_spec(False, german)["config"]["locale"]["number"]["decimal"] == ","
    assert loss_spec(german)["config"]["locale"]["number"]["thousands"] == "."


def test_a_press_refused_after_the_page_was_drawn_says_why_in_one_sentence(train_page):
    """Start was on the page, then the teacher's switch went on (on any server): the press
    starts nothing, and the page says why once, where Start was."""
    from mnist_core.access.roles import Visitor
    from pages import registry

    at = train_page
    runs = len(registry().runs())
    registry().set_teacher_only(True, Visitor("teacher", teacher=True))
    try:
        at.button(key="start").click().run()
        assert not at.exception
        said = [m.value for m in (*at.info, *at.error) if "teacher" in m.value]
        assert said == [
            "Only the teacher starts training right now: watch the runs, draw with them."
        ]
        assert "start" not in [b.key for b in at.button]
        assert len(registry().runs()) == runs
    finally:
        registry().set_teacher_only(False, Visitor("teacher", teacher=True))
