"""Honest answers for drawings that are not one digit: the shape rules and the detector."""

import numpy as np
import pytest

from benchmarks.digits import DIGITS, render
from benchmarks.handwriting import HANDS, jittered
from mnist_core.serving import novelty
from mnist_core.serving import reading as rd
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.novelty import (
    ARRAYS,
    DETECTOR_FILE,
    Detector,
    bundled_detector,
    load_detector,
    save_detector,
)
from mnist_core.serving.preprocess import prepare_digit
from mnist_core.serving.shape import SCRIBBLE, SEVERAL, TOO_SMALL, judge_shape
from tests.conftest import canvas_drawing


@pytest.fixture(scope="module")
def network():
    return load_model(BUNDLED_MODEL).network


def drawn(strokes, width: int = 20) -> np.ndarray:
    return np.asarray(render(strokes, 280, width))


def shrunk(strokes, factor: float, at: tuple[float, float] = (140, 140)) -> list:
    return [
        [(at[0] + (x - 140) * factor, at[1] + (y - 140) * factor) for x, y in s] for s in strokes
    ]


DOT = [[(140, 140), (141, 141)]]
LEVEL_LINE = [[(40, 140), (240, 140)]]
SCRIBBLE_STROKES = [[(20 + 240 * (i % 2), 20 + 12 * i) for i in range(21)]]
TWELVE = [
    [(40, 80), (60, 60), (60, 200)],
    [(100, 95), (130, 62), (170, 70), (175, 110), (100, 200), (190, 200)],
]


def test_a_dot_and_a_tiny_digit_are_too_small():
    assert judge_shape(drawn(DOT)) == TOO_SMALL
    assert judge_shape(drawn(shrunk(DIGITS[3], 0.15), width=8)) == TOO_SMALL


def test_a_filled_scribble_and_a_painted_canvas_are_scribbles():
    assert judge_shape(drawn(SCRIBBLE_STROKES)) == SCRIBBLE
    painted = np.zeros((280, 280), np.uint8)
    painted[20:260, 10:270] = 255
    assert judge_shape(painted) == SCRIBBLE


def test_two_digits_side_by_side_are_one_at_a_time():
    assert judge_shape(drawn(TWELVE)) == SEVERAL
    three, seven = shrunk(DIGITS[3], 0.6, (80, 140)), shrunk(DIGITS[7], 0.6, (200, 140))
    assert judge_shape(drawn(three + seven, width=14)) == SEVERAL


def test_nothing_at_all_is_not_judged():
    assert judge_shape(np.zeros((280, 280, 4), np.uint8)) is None


def test_the_rules_pass_every_hand_and_the_browser_tests_digits():
    """Digits of several strokes (a 4, a 5, a flagged 1, a crossed 7, a slashed 0) stay digits."""
    flagged = [
        (d.hand, d.digit, d.style, judge_shape(d.image))
        for d in jittered(tuple(HANDS), per_digit=3, seed=7)
        if judge_shape(d.image) is not None
    ]
    assert flagged == []
    assert [judge_shape(drawn(s)) for s in DIGITS.values()] == [None] * 10


@pytest.mark.parametrize("box", [120, 200, 260])
def test_the_rules_pass_mnist_digits_drawn_large(small_mnist, box):
    images = (small_mnist.x_test[:300] * 255).round().astype(np.uint8)
    flagged = [i for i, x in enumerate(images) if judge_shape(canvas_drawing(x, box=box))]
    assert flagged == []


def test_the_bundled_detector_passes_real_mnist_digits(small_mnist, network):
    images = (small_mnist.x_test * 255).round().astype(np.uint8)
    readings = [rd.read_drawing(network, canvas_drawing(x, box=200)) for x in images]
    flagged = sum(r.verdict == rd.NOT_A_DIGIT for r in readings)
    assert flagged <= 0.01 * len(images), flagged


def test_the_bundled_detector_flags_a_line_and_letters(network):
    letters = {
        "level line": LEVEL_LINE,
        "A": [[(60, 240), (140, 40), (220, 240)], [(95, 160), (185, 160)]],
        "H": [[(70, 40), (70, 240)], [(210, 40), (210, 240)], [(70, 140), (210, 140)]],
    }
    reasons = {name: rd.read_drawing(network, drawn(s)).reason for name, s in letters.items()}
    assert reasons == dict.fromkeys(letters, rd.UNLIKE_DIGITS)


def ring(cx: float, cy: float, r: float, start: float = 0, end: float = 360) -> list:
    return [
        (cx + r * np.cos(np.radians(a)), cy + r * np.sin(np.radians(a)))
        for a in np.linspace(start, end, 37)
    ]


def test_the_bundled_detector_flags_a_face_and_a_crossed_out_digit(network):
    """Drawings that hold a digit's parts, or a digit, without being one (#19)."""
    pictures = {
        "face with ears": [
            ring(140, 150, 90),
            [(70, 95), (75, 30), (120, 62)],
            [(160, 62), (205, 30), (210, 95)],
            [(105, 130), (106, 132)],
            [(175, 130), (176, 132)],
            ring(140, 165, 45, 30, 150),
        ],
        "crossed-out 3": [
            *DIGITS[3],
            [(60, 60), (220, 90), (60, 120), (220, 150), (60, 180), (220, 210)],
        ],
    }
    reasons = {name: rd.read_drawing(network, drawn(s, 18)).reason for name, s in pictures.items()}
    assert reasons == dict.fromkeys(pictures, rd.UNLIKE_DIGITS)


def test_readings_say_why_a_drawing_is_not_a_digit(network):
    dot = rd.read_drawing(network, drawn(DOT))
    assert (dot.verdict, dot.reason) == (rd.NOT_A_DIGIT, TOO_SMALL)
    scribble = rd.read_drawing(network, drawn(SCRIBBLE_STROKES))
    assert (scribble.verdict, scribble.reason) == (rd.NOT_A_DIGIT, SCRIBBLE)
    seven = rd.read_drawing(network, drawn(DIGITS[7]))
    assert (seven.verdict, seven.reason, seven.digit) == (rd.CONFIDENT, "", 7)


def random_detector(rng: np.random.Generator, members: int = 2, k: int = 4, h: int = 8) -> tuple:
    shapes = [(3, 3, 1, k), (k,), (3, 3, k, 2 * k), (2 * k,), (50 * k, h), (h,), (h, 1), (1,)]
    return tuple(rng.normal(size=(members, *s)).astype(np.float32) for s in shapes)


def test_detector_files_round_trip_without_pickle(tmp_path):
    rng = np.random.default_rng(0)
    weights = random_detector(rng)
    path = save_detector(tmp_path / "d.npz", Detector(weights, 0.7, {"seed": 0}))
    loaded = load_detector(path)
    assert loaded.threshold == 0.7 and loaded.metadata["seed"] == 0
    image = rng.random((28, 28))
    assert loaded.score(image) == pytest.approx(Detector(weights, 0.7, {}).score(image))
    assert loaded.score(np.stack([image, image])).shape == (2,)
    assert not list(tmp_path.glob("*.tmp"))


def test_the_detector_reads_as_keras_does():
    """The NumPy convolutions give Keras's own answer for the same weights (valid 3x3
    convolutions, 2x2 pooling, the flattening order), members averaged in logits."""
    from mnist_core.training.not_a_digit import network

    rng = np.random.default_rng(1)
    weights = random_detector(rng)
    images = rng.random((5, 28, 28)).astype(np.float32)
    logits = []
    for member in range(2):
        model = network(channels=4, hidden=8)
        model.set_weights([w[member] for w in weights])
        logits.append(model.predict(images[..., None], verbose=0)[:, 0])
    expected = 1 / (1 + np.exp(-np.mean(logits, axis=0)))
    assert Detector(weights, 0.5, {}).score(images) == pytest.approx(expected, rel=1e-4)


def write_detector_file(path, weights, metadata: str = '{"threshold": 0.5}') -> None:
    np.savez(path, **dict(zip(ARRAYS, weights)), metadata=np.array(metadata))


def damaged(kind: str) -> tuple[tuple, str]:
    """Detector arrays and metadata that load as arrays but are no detector."""
    rng = np.random.default_rng(2)
    metadata = '{"threshold": 0.5}'
    if kind == "no members":
        return random_detector(rng, members=0), metadata
    if kind == "no channels":
        return random_detector(rng, k=0), metadata
    if kind == "no hidden units":
        return random_detector(rng, h=0), metadata
    if kind == "too many members":
        return random_detector(rng, members=9), metadata
    weights = list(random_detector(rng))
    if kind == "dense layer misfit":
        weights[4] = weights[4][:, :-1]
    elif kind == "flat dense layer":
        weights[4] = np.float32(1.0)
    elif kind == "NaN weight":
        weights[0][0, 0, 0, 0, 0] = np.nan
    else:
        metadata = {
            "metadata a list": "[0.5]",
            "no threshold": '{"threshold": null}',
            "threshold not a number": '{"threshold": [1]}',
            "threshold NaN": '{"threshold": NaN}',
            "threshold above 1": '{"threshold": 3}',
        }[kind]
    return tuple(weights), metadata


DAMAGE = [
    "no members",
    "no channels",
    "no hidden units",
    "too many members",
    "dense layer misfit",
    "flat dense layer",
    "NaN weight",
    "metadata a list",
    "no threshold",
    "threshold not a number",
    "threshold NaN",
    "threshold above 1",
]


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_detector_file_is_refused_and_reading_goes_on(
    tmp_path, monkeypatch, network, kind
):
    """Refused at load, never a crash or a silent never-flagging detector on every stroke:
    the page then reads with the shape rules alone."""
    path = tmp_path / "bad.npz"
    write_detector_file(path, *damaged(kind))
    with pytest.raises(ValueError, match="not a not-a-digit detector"):
        load_detector(path)
    monkeypatch.setattr(novelty, "DETECTOR_FILE", path)
    bundled_detector.cache_clear()
    try:
        assert bundled_detector() is None
        seven = rd.read_drawing(network, drawn(DIGITS[7]))
        assert (seven.verdict, seven.digit) == (rd.CONFIDENT, 7)
    finally:
        bundled_detector.cache_clear()


@pytest.mark.parametrize("kind", ["old 784-h-1 layout", "a lone array", "not a zip"])
def test_a_file_of_another_kind_is_not_a_detector(tmp_path, monkeypatch, kind):
    path = tmp_path / "bad.npz"
    if kind == "old 784-h-1 layout":
        np.savez(path, W0=np.zeros((784, 4)), metadata=np.array('{"threshold": 0.5}'))
    elif kind == "a lone array":
        with open(path, "wb") as f:
            np.save(f, np.zeros(3))
    else:
        path.write_bytes(b"not a zip at all")
    monkeypatch.setattr(novelty, "DETECTOR_FILE", path)
    bundled_detector.cache_clear()
    try:
        assert bundled_detector() is None
    finally:
        bundled_detector.cache_clear()


def test_the_bundled_detector_is_small_and_present():
    detector = bundled_detector()
    assert detector is not None and 0 < detector.threshold < 1
    assert BUNDLED_MODEL.with_name("not_a_digit.npz").stat().st_size < 1_000_000


def test_every_kind_of_training_non_digit_draws_something_to_read(small_mnist):
    """Each generator kind, the new ones too (doodles, faces, marked digits, words, digits
    with signs), gives a canvas-sized drawing that prepare_digit can read."""
    from mnist_core.training.non_digits import CANVAS, KINDS, WITH_DIGITS

    pairs = (small_mnist.x_train[:50] * 255).round().astype(np.uint8).reshape(-1, 28, 28)
    rng = np.random.default_rng(5)
    for kind in dict.fromkeys(KINDS):
        for _ in range(4):
            image = kind(rng, pairs) if kind in WITH_DIGITS else kind(rng)
            assert image.shape == (CANVAS, CANVAS) and image.dtype == np.uint8, kind.__name__
            assert prepare_digit(image) is not None, kind.__name__


def test_the_threshold_is_chosen_on_the_digits_and_written_where_asked(tmp_path, small_mnist):
    """At most 0.3% of the digits may be flagged (0.5% is the promise on held-out digits);
    the chosen threshold goes into the file named, not the bundled one."""
    from benchmarks.non_digits import MAX_DIGITS_FLAGGED, choose_threshold

    bundled = load_detector(DETECTOR_FILE).threshold
    path = save_detector(tmp_path / "d.npz", bundled_detector())
    images = (small_mnist.x_test[:400] * 255).round().astype(np.uint8)
    drawings = [canvas_drawing(x, box=200) for x in images]
    threshold = choose_threshold(drawings, path)
    detector = load_detector(path)
    assert detector.threshold == threshold and load_detector(DETECTOR_FILE).threshold == bundled
    flagged = sum(judge_shape(d) is not None or detector.flags(prepare_digit(d)) for d in drawings)
    assert MAX_DIGITS_FLAGGED == 0.003 and flagged <= int(MAX_DIGITS_FLAGGED * len(drawings))


def test_the_detectors_digits_carry_flags_crossbars_and_slashes(small_mnist):
    """The detector learns that a flagged 1, a crossed 7 and a slashed 0 are digits: the
    strokes styles.py adds must show on its 0-255 images (they once were drawn too faint
    to see, and the detector then called hands' slashed 0s not digits)."""
    from mnist_core.training.not_a_digit import restyled

    x = (small_mnist.x_train * 255).round().astype(np.uint8)
    y = small_mnist.y_train
    styled = restyled(x, y, seed=0)
    added = styled.astype(int).sum(axis=1) - x.astype(int).sum(axis=1)
    changed = added > 255 * 8  # at least a few pixels' worth of new ink
    for digit in (0, 1, 7):
        assert changed[y == digit].mean() > 0.1, digit
    assert not changed[np.isin(y, (2, 3, 4, 5, 6, 8, 9))].any()


def test_the_detectors_stroke_digits_read_as_their_digits(network):
    """The digits drawn with the canvas's brush for the detector are digits: the bundled
    network reads each as the digit it is meant to be."""
    from mnist_core.training.non_digits import fitted
    from mnist_core.training.not_a_digit import STROKE_DIGITS

    rng = np.random.default_rng(3)
    read = [
        int(np.argmax(network.forward(prepare_digit(fitted(rng, s, 0))).probabilities))
        for _, s in STROKE_DIGITS
    ]
    assert read == [digit for digit, _ in STROKE_DIGITS]


def test_angular_training_digits_keep_their_ends_and_corners_and_their_digit(network):
    """Issue 27: a quarter of the detector's stroke digits have their curves cut into
    straight lines, as some hands draw; cut that way they keep where they start, end and
    turn sharply, and the bundled network still reads them as the digits they are meant to
    be."""
    from mnist_core.training.non_digits import fitted
    from mnist_core.training.not_a_digit import STROKE_DIGITS, cornered

    rng = np.random.default_rng(4)
    two = STROKE_DIGITS[5][1][0]  # a curve, then the corner at the bottom left, then the base
    cut = cornered(two, rng)
    assert cut[0] == two[0] and cut[-1] == two[-1] and (0.05, 1) in cut and len(cut) < len(two)
    read = [
        int(np.argmax(network.forward(prepare_digit(fitted(rng, cut_strokes, 0))).probabilities))
        == digit
        for digit, strokes in STROKE_DIGITS
        for cut_strokes in [[cornered(s, rng) for s in strokes] for _ in range(5)]
    ]
    assert sum(read) >= 0.9 * len(read)


def test_the_detectors_polygons_are_never_a_tall_box(monkeypatch):
    """A tall box or pentagon is a 0 drawn in straight strokes (issue 27), so the non-digit
    polygons with four or more corners are drawn wider than tall (a triangle may stand)."""
    from mnist_core.training import non_digits

    monkeypatch.setattr(non_digits, "fitted", lambda rng, strokes, angle: (strokes, angle))
    rng = np.random.default_rng(6)
    corners_seen = set()
    for _ in range(300):
        (outline, *_), angle = non_digits._polygon(rng)
        corners_seen.add(len(outline) - 1)
        turned = np.array(non_digits._turn(outline, angle))
        height, width = np.ptp(turned[:, 1]), np.ptp(turned[:, 0])
        assert len(outline) - 1 < 4 or height <= width
    assert corners_seen == {3, 4, 5, 6}


def test_the_detectors_bar_digits_are_the_digits_they_name(network):
    """The straight-bar digits the detector learns from have each digit's own bars (an 8
    all seven), and the bundled network reads most of them as that digit; a barred 6 it
    mostly reads as 5, a weakness of the network (docs/measurements.md), not of the bars."""
    from mnist_core.training.non_digits import fitted
    from mnist_core.training.not_a_digit import SEGMENT_DIGITS, SEGMENTS, segment_digit

    assert len(set(SEGMENT_DIGITS)) == 10 and set(SEGMENT_DIGITS[8]) == set(SEGMENTS)
    rng = np.random.default_rng(0)
    read = [
        int(np.argmax(network.forward(prepare_digit(fitted(rng, strokes, 0))).probabilities))
        == digit
        for digit in range(10)
        for strokes in [segment_digit(digit, 0.8, 0.1, rng) for _ in range(10)]
    ]
    assert sum(read) >= 0.8 * len(read)
