"""The Draw page under Streamlit's AppTest (no browser)."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from mnist_core.presentation.model_picker import ModelChoice
from mnist_core.serving.model_files import ModelFileError, save_model
from pages import network_for
from tests.conftest import ROOT
from tests.test_network import random_mlp


def draw_page() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def test_page_runs_and_shows_the_prompt_on_a_blank_canvas():
    at = draw_page()
    assert not at.exception
    texts = " ".join(m.value for m in at.markdown)
    assert "Draw a digit on the canvas" in texts
    assert "sure" not in texts


def test_model_picker_lists_the_bundled_model_first():
    at = draw_page()
    picker = at.selectbox(key="model")
    assert picker.options[0].startswith("Bundled model (99.")
    assert picker.value == "bundled"


def test_saved_models_appear_newest_first(tmp_path, monkeypatch):
    from mnist_core.serving.model_files import save_model
    from tests.test_network import random_mlp

    save_model(tmp_path / "a.npz", random_mlp(), {"name": "older", "created": "2026-01-01"})
    save_model(tmp_path / "b.npz", random_mlp(), {"name": "newer", "created": "2026-02-01"})
    monkeypatch.setenv("DIGITLAB_MODELS_DIR", str(tmp_path))
    options = draw_page().selectbox(key="model").options
    # Runs of this process (other tests' trainings) come before the saved files.
    saved = [o for o in options[1:] if not o.startswith("Run ")]
    assert [o.split(" ")[0] for o in saved] == ["newer", "older"]


def test_odd_metadata_or_damaged_weights_never_break_the_page(tmp_path, monkeypatch):
    save_model(tmp_path / "odd.npz", random_mlp(), {"name": "odd", "metrics": "n/a"})
    save_model(tmp_path / "high.npz", random_mlp(), {"metrics": {"test_accuracy": "high"}})
    damaged = save_model(tmp_path / "damaged.npz", random_mlp(), {"name": "damaged"})
    with np.load(damaged) as npz:
        arrays = {key: npz[key] for key in npz.files}
    np.savez(damaged, **{**arrays, "b0": arrays["b0"] + 1})  # the checksum no longer fits
    (tmp_path / "junk.npz").write_text("not a model")
    monkeypatch.setenv("DIGITLAB_MODELS_DIR", str(tmp_path))

    at = draw_page()
    assert not at.exception
    picker = at.selectbox(key="model")
    files = [o for o in picker.options if not o.startswith(("Bundled model", "Run "))]
    assert {o.split(" (")[0] for o in files} == {"odd", "high", "damaged"}
    assert all("untested" in o for o in files)
    captions = " ".join(c.value for c in at.caption)
    assert "Left out of the list: junk.npz is not a Digit Lab model file" in captions

    picker.set_value("file:damaged.npz").run()
    assert not at.exception
    assert at.warning[0].value.startswith(
        "This model cannot be used: damaged.npz is damaged: b0 does not match its checksum"
    )


def test_a_model_file_gone_after_listing_is_a_refusal_not_a_crash(tmp_path):

    gone = ModelChoice("file:gone.npz", "gone", path=tmp_path / "gone.npz")
    with pytest.raises(ModelFileError, match=r"gone\.npz is no longer there"):
        network_for(gone)


def test_the_page_never_loads_tensorflow():
    script = textwrap.dedent(
        """
        import sys
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file("app.py", default_timeout=60).run()
        assert not at.exception, at.exception
        print("tensorflow" in sys.modules, "keras" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.split() == ["False", "False"], out.stderr[-2000:]


def test_why_this_answer_is_a_switch_that_is_off_until_asked():
    at = draw_page()
    switch = at.toggle(key="why-open")
    assert switch.label == "Why this answer?" and switch.value is False
    assert "gradient of the score with respect to the input" in switch.help
    assert not any("see why" in m.value for m in at.markdown)
    switch.set_value(True).run()
    assert not at.exception
    assert any("Draw a digit to see why" in m.value for m in at.markdown)
