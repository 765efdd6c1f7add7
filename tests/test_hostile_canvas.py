"""One student's oversized canvas image, sent as a browser would, costs the server nothing.

The app runs under `streamlit run` (the session's server, see conftest.app_url); the image
goes over Streamlit's websocket protocol as the canvas's widget state (benchmarks/load.py).
"""

import json
import os
from pathlib import Path
from urllib.parse import urlparse

from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.digits import DIGITS, render
from benchmarks.load import Answer, Student
from tests.bombs import black_png
from tests.conftest import run_async
from tests.memory import MB, peak_growth
from tests.test_drawings import as_data_url


def test_an_oversized_canvas_image_is_refused_without_decoding_it(app_url):
    server = listening_pid(urlparse(app_url).port)
    bomb = as_data_url(black_png(13000, 13000))  # 0.9 MB; 676 MB once decoded

    async def visit() -> tuple[Answer, int, Answer]:
        async with Student(app_url) as student:
            with peak_growth(server) as growth:
                refused = await send_canvas(student, bomb)
            grown = growth()
            return refused, grown, await student.draw(render(DIGITS[7]), DIGITS[7])

    refused, grown, after = run_async(visit())
    assert grown < 50 * MB, f"the server's memory grew by {grown / MB:.0f} MB"
    assert refused.exceptions == []
    assert "13,000x13,000 pixels instead of the canvas's 280x280" in refused.texts["prediction"]
    assert after.exceptions == [] and after.digit == 7  # and the next drawing is read


async def send_canvas(student: Student, data_url: str) -> Answer:
    """What the canvas sends after a stroke, carrying any PNG data URL."""
    canvas = student.canvas()
    state = {"drawing": {"raw": {"version": "7.4.0", "objects": []}, "data": data_url}}
    canvas.state = WidgetState(id=canvas.element.bidi_component.id, json_value=json.dumps(state))
    return await student.rerun(canvas.fragment_id)


def listening_pid(port: int) -> int:
    """The process listening on a local TCP port, from /proc (Linux)."""
    sockets = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
                sockets.add(f"socket:[{fields[9]}]")
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                links = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
            except OSError:  # a process that ended, or is not ours to look at
                continue
            if links & sockets:
                return int(entry.name)
    raise LookupError(f"no process listens on port {port}")
