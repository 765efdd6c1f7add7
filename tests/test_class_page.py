"""The Class page and the Draw page's labelling under AppTest (no browser), and `class` CLI."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from mnist_core.presentation.join import join_address
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.reading import read_drawing
from mnist_core.storage.database import open_database
from mnist_core.storage.drawings import ClassDrawings, NewDrawing
from tests.conftest import ROOT, canvas_drawing


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DIGITLAB_DATABASE_URL", raising=False)
    return tmp_path / "data"


@pytest.fixture
def class_digits(data_dir, small_mnist):
    """Eight real MNIST digits kept as if students had labelled them; two labelled wrongly."""
    network = load_model(BUNDLED_MODEL).network
    store = ClassDrawings(open_database())
    labels = []
    for n, (image, label) in enumerate(zip(small_mnist.x_test[:8], small_mnist.y_test[:8])):
        canvas = canvas_drawing(image)
        truth = int(label) if n < 6 else (int(label) + 1) % 10
        store.add(
            NewDrawing.from_reading(
                read_drawing(network, canvas), canvas, truth, "Bundled model", f"s{n}"
            )
        )
        labels.append(truth)
    store.engine.dispose()
    return labels


def class_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/class.py").run()
    assert not at.exception, at.exception
    return at


def test_the_score_counts_the_drawings_and_scores_the_model_on_them(class_digits):
    at = class_page()
    texts = [m.value for m in at.markdown]
    [line] = [t for t in texts if "labelled drawings" in t]
    assert line.startswith("### 8 labelled drawings")
    # 6 of 8 are labelled as MNIST labels them, and the bundled model reads those right.
    assert "75.0% of them right" in line
    [mnist] = [c.value for c in at.caption if "MNIST's test set" in c.value]
    assert "it reads 99." in mnist


def test_the_wall_shows_the_newest_and_filters_the_wrong_ones(class_digits):
    at = class_page()
    [wall] = [h for h in at.get("html") if "<figure" in h.proto.body]
    assert wall.proto.body.count("<figure") == 8
    at.toggle(key="wall-wrong").set_value(True).run()
    [wall] = [h for h in at.get("html") if "<figure" in h.proto.body]
    assert wall.proto.body.count("<figure") == 2


def test_an_empty_class_gets_a_prompt_not_an_error(data_dir):
    at = class_page()
    assert any("No labelled drawings yet" in m.value for m in at.markdown)


def test_a_broken_database_is_one_sentence_on_the_page(data_dir):
    data_dir.parent.mkdir(exist_ok=True)
    data_dir.write_text("a file where the data folder should be")
    at = class_page()
    [warning] = at.warning
    assert warning.value.startswith("The class's drawings cannot be kept right now")


def test_join_address_prefers_the_setting_then_a_reachable_request(monkeypatch):
    monkeypatch.delenv("DIGITLAB_PUBLIC_URL", raising=False)
    assert join_address("http://10.0.0.5:8501/class") == "http://10.0.0.5:8501"
    assert join_address("http://localhost:8502/class", ["192.0.2.7"]) == "http://192.0.2.7:8502"
    assert join_address("http://0.0.0.0:8502/", ["192.0.2.7"]) == "http://192.0.2.7:8502"
    assert join_address("http://[::]:8502/", ["192.0.2.7"]) == "http://192.0.2.7:8502"
    assert join_address("http://localhost:99999/", ["192.0.2.7"]) == "http://192.0.2.7:8501"
    monkeypatch.setenv("DIGITLAB_PUBLIC_URL", "https://digits.school.example/")
    assert join_address("http://localhost:8501") == "https://digits.school.example"


class FakeNetwork:
    """A laptop whose name resolves to 127.0.1.1 (as Debian and Ubuntu write /etc/hosts), with
    a Wi-Fi address its route uses and a second, wired one."""

    SOCK_DGRAM = socket.SOCK_DGRAM

    def __init__(self) -> None:
        self.connected: list[tuple] = []

    def gethostname(self) -> str:
        return "laptop"

    def getaddrinfo(self, host, port, family):
        assert host == "laptop"
        return [(family, 0, 0, "", (address, 0)) for address in ("127.0.1.1", "10.1.2.3")]

    def socket(self, family, kind):
        network = self

        class Probe:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def connect(self, address):
                network.connected.append((kind, address))

            def getsockname(self):
                return ("192.168.1.20", 50000)

        return Probe()


def test_the_class_page_shows_a_reachable_address_where_the_hostname_is_loopback(
    data_dir, monkeypatch
):
    from mnist_core.presentation import join

    monkeypatch.delenv("DIGITLAB_PUBLIC_URL", raising=False)
    network = FakeNetwork()
    monkeypatch.setattr(join, "socket", network)
    at = class_page()
    texts = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "http://192.168.1.20:8501" in texts  # the big address, and its QR code
    assert "try: http://10.1.2.3:8501" in texts
    assert "localhost" not in texts and "127.0.1.1" not in texts
    assert network.connected == [(socket.SOCK_DGRAM, ("8.8.8.8", 80))]  # UDP: nothing sent


def test_class_cli_prints_stats_and_exports(class_digits, data_dir, tmp_path):
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "mnist_core", "class", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    stats = json.loads(cli("stats", "--json").stdout.strip().splitlines()[-1])
    assert stats["drawings"] == 8
    assert stats["per_digit"] == [class_digits.count(d) for d in range(10)]
    out = tmp_path / "class.npz"
    assert cli("export", "--out", str(out)).returncode == 0
    with np.load(out, allow_pickle=False) as npz:
        assert list(npz["y"]) == class_digits and npz["x"].shape == (8, 28, 28)
    again = cli("export", "--out", str(out))
    assert again.returncode == 1 and again.stderr.count("\n") == 1
    assert "already exists" in again.stderr
