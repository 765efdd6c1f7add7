"""The Draw page under Streamlit's AppTest (no browser)."""

import subprocess
import sys
import textwrap

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


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
    assert [o.split(" ")[0] for o in options[1:]] == ["newer", "older"]


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
