"""A small classroom over Streamlit's websocket protocol: every drawing answered rightly."""

from benchmarks.load import run_classroom


def test_five_students_drawing_at_once_all_get_the_right_digit(app_url):
    report = run_classroom(app_url, students=5, drawings=3, pause=(0.1, 0.5))
    assert report.drawings == 15
    assert report.exceptions == []
    assert report.wrong == []
    assert len(report.latencies) >= 15
