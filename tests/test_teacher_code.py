"""Always a teacher: the generated code printed when the server starts, accepted in a real
browser until a new code ends its pass; the server's settings that keep a class quiet.
Wrong codes across sessions: see test_teacher_browser.py and test_roles.py."""

from __future__ import annotations

import re
import stat
import tomllib

from tests.conftest import ARTIFACTS, ROOT, SMALL_MNIST


def test_the_config_keeps_failures_quiet_and_messages_small():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] in ("type", "none")
    assert 1 <= config["server"]["maxMessageSize"] < 50  # MB; Streamlit's default is 200
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".streamlit/secrets.toml" in ignored


def test_clearing_streamlits_caches_keeps_the_count_of_wrong_codes():
    """Any browser can send Streamlit's "clear cache" message: it must not give fresh tries."""
    import streamlit as st

    from pages import code_guard

    guard = code_guard()
    st.cache_resource.clear()
    assert code_guard() is guard


def test_clearing_streamlits_caches_keeps_the_training_registry_and_its_rules():
    import streamlit as st

    from mnist_core.access.roles import Visitor
    from pages import registry

    shared = registry()
    shared.set_teacher_only(True, Visitor("teacher", teacher=True))
    try:
        st.cache_resource.clear()
        assert registry() is shared and registry().teacher_only
    finally:
        shared.set_teacher_only(False, Visitor("teacher", teacher=True))


def test_clearing_streamlits_caches_keeps_the_class_store_and_its_label_rate(tmp_path, monkeypatch):
    import streamlit as st

    from pages import class_store

    monkeypatch.setenv("DIGITLAB_DATABASE_URL", f"sqlite:///{tmp_path / 'class.db'}")
    store = class_store()
    st.cache_resource.clear()
    assert class_store() is store


def test_with_no_code_set_the_terminal_shows_one_and_a_browser_becomes_the_teacher_with_it(
    browser, tmp_path, monkeypatch
):
    from benchmarks.app_server import running_app

    monkeypatch.delenv("DIGITLAB_TEACHER_CODE", raising=False)
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "streamlit-generated-code.log"
    env = {"MNIST_PATH": str(SMALL_MNIST), "DIGITLAB_DATA_DIR": str(tmp_path / "data")}
    env["DIGITLAB_MODELS_DIR"] = str(tmp_path / "models")
    with running_app(env, log=log) as url:
        # Printed when the server started, before any browser visited.
        printed = log.read_text()
        [code] = re.findall(r"^Teacher code: (\S+)$", printed, re.MULTILINE)
        assert re.search(r"^Students open: http://\S+:\d+$", printed, re.MULTILINE)
        assert (tmp_path / "data" / "teacher-code").read_text().strip() == code
        context = browser.new_context()
        try:
            tab = context.new_page()
            tab.set_default_timeout(30_000)
            tab.goto(url)
            tab.get_by_label("Teacher code").fill(code)
            tab.get_by_role("button", name="Enter").click()
            tab.get_by_role("button", name="Leave teacher mode").wait_for()
            tab.goto(f"{url}/train")  # an address typed in: still the teacher
            tab.get_by_role("button", name="Leave teacher mode").wait_for()
            secret = tmp_path / "data" / "cookie-secret"
            assert stat.S_IMODE(secret.stat().st_mode) == 0o600
            # A new code (the file deleted, made again) ends every teacher's pass at once.
            (tmp_path / "data" / "teacher-code").unlink()
            tab.reload()
            tab.get_by_label("Teacher code").wait_for()
            assert tab.get_by_role("button", name="Leave teacher mode").count() == 0
            assert (tmp_path / "data" / "teacher-code").read_text().strip() != code
        finally:
            context.close()
