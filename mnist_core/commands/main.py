"""`python -m mnist_core`: train, evaluate and predict from a terminal.

Every mistake a user can make (a missing file, an unknown preset, a learning rate of zero,
an unreadable image) ends the program with one line that says what to fix, never a
traceback.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import NoReturn, TextIO

import numpy as np

from mnist_core.commands.average import add_average_command, run_average
from mnist_core.commands.classroom import add_class_commands, run_class
from mnist_core.commands.database import add_database_commands, run_database
from mnist_core.commands.teacher import add_teacher_command, run_teacher
from mnist_core.config import (
    ENGINE_NAMES,
    INITS,
    LOSSES,
    OPTIMIZER_NAMES,
    OUTPUTS,
    ConfigError,
    parse_hidden,
)
from mnist_core.dataset import ClassSet, DataError, load_class_file
from mnist_core.presentation.both_sides import both_sides
from mnist_core.presets import FINE_TUNE, PRESETS, preset_config
from mnist_core.runs.events import BatchEnd, EpochEnd, Event, RunStarted
from mnist_core.serving.averaging import AveragingError, apart
from mnist_core.serving.drawings import DrawingRefused, check_pixels, too_many_pixels
from mnist_core.serving.evaluation import evaluate
from mnist_core.serving.model_files import (
    BUNDLED_MODEL,
    SUFFIX,
    ModelFileError,
    load_model,
    save_model,
)
from mnist_core.serving.model_listing import member_count
from mnist_core.serving.reading import read_drawing
from mnist_core.storage.database import StorageError, open_database
from mnist_core.storage.drawings import ClassDrawings
from mnist_core.storage.export import ExportError
from mnist_core.training.mnist import load_mnist
from mnist_core.training.teacher_files import is_teacher_file, read_teacher

LOSS_EVERY = 100  # steps between printed losses, as the reference programs did


class UsageError(Exception):
    """Bad input from the user; main() prints it as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m mnist_core", description="Digit Lab's MNIST engine.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train a network and report its test accuracy")
    train.add_argument("--preset", default="recommended", help=f"one of: {', '.join(PRESETS)}")
    train.add_argument("--engine", choices=ENGINE_NAMES)
    train.add_argument("--epochs", type=int)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--lr", type=float, help="learning rate")
    train.add_argument("--optimizer", choices=OPTIMIZER_NAMES)
    train.add_argument("--loss", choices=LOSSES)
    train.add_argument("--init", choices=INITS, help="weight initialisation")
    train.add_argument("--output", choices=OUTPUTS, help="last layer: softmax or linear")
    train.add_argument("--hidden", help="hidden layer widths, for example 256,128")
    train.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None)
    train.add_argument("--seed", type=int)
    train.add_argument("--data", help="a local mnist.npz (else $MNIST_PATH, else download)")
    train.add_argument(
        "--class-data",
        nargs="?",
        const="",
        metavar="FILE.npz",
        help="also learn from the class's drawings: the app's database, or an exported .npz",
    )
    train.add_argument(
        "--start-from", metavar="MODEL.npz", help="start from this model's weights and layers"
    )
    train.add_argument(
        "--teacher",
        metavar="MODEL.npz",
        help="learn this model's answers (an averaged model: its networks' average; or a "
        "convolutional teacher from the teacher command) on the same varied images, not "
        "only the labels: one network that reads like several",
    )
    train.add_argument(
        "--temperature", type=float, help="with --teacher: soften both answers (logits / T)"
    )
    train.add_argument(
        "--label-weight", type=float, help="with --teacher: this share of the loss is the labels'"
    )
    train.add_argument(
        "--remember-weight",
        type=float,
        help="with --start-from: weight of the start model's own answers on MNIST's images",
    )
    train.add_argument("--out", help=f"save the trained model here ({SUFFIX})")
    train.add_argument("--force", action="store_true", help="replace an existing --out file")
    train.add_argument("--json", action="store_true", help="end with one line of JSON")
    train.add_argument("--logdir", help="write TensorBoard event files to this folder")

    ev = commands.add_parser("evaluate", help="test a saved model on the MNIST test set")
    ev.add_argument("model", nargs="?", default=str(BUNDLED_MODEL), help="default: bundled")
    ev.add_argument("--data", help="a local mnist.npz (else $MNIST_PATH, else download)")
    ev.add_argument("--json", action="store_true")

    predict = commands.add_parser("predict", help="read digits from PNG or JPEG drawings")
    predict.add_argument("images", nargs="+", metavar="IMAGE")
    predict.add_argument("--model", default=str(BUNDLED_MODEL), help="default: bundled model")
    predict.add_argument("--json", action="store_true")

    export = commands.add_parser("export", help="write a saved model as a Keras .keras file")
    export.add_argument("model", metavar="MODEL.npz")
    export.add_argument("--to", required=True, metavar="FILE.keras")
    export.add_argument("--force", action="store_true", help="replace an existing file")

    bring = commands.add_parser("import", help="bring in a Keras Sequential model of Dense layers")
    bring.add_argument("keras_file", metavar="FILE.keras")
    bring.add_argument("--out", required=True, help=f"the model file to write ({SUFFIX})")
    bring.add_argument("--force", action="store_true", help="replace an existing --out file")

    add_average_command(commands)
    add_class_commands(commands)
    add_database_commands(commands)
    add_teacher_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
        commands = {
            "train": _train,
            "evaluate": _evaluate,
            "predict": _predict,
            "class": run_class,
            "database": run_database,
            "export": _export,
            "import": _import,
            "average": run_average,
            "teacher": run_teacher,
        }
        return commands[args.command](args, argv)
    except UsageError as exc:
        print(f"error: {exc} (see python -m mnist_core --help)", file=sys.stderr)
        return 2
    except (
        ConfigError,
        DataError,
        ModelFileError,
        FileExistsError,
        StorageError,
        ExportError,
        AveragingError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _config_from(args: argparse.Namespace):
    overrides = {
        "engine": args.engine,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "learning_rate": args.lr,
        "optimizer": args.optimizer,
        "loss": args.loss,
        "hidden": parse_hidden(args.hidden) if args.hidden is not None else None,
        "augment": args.augment,
        "seed": args.seed,
        "init": args.init,
        "output": args.output,
        "temperature": args.temperature,
        "label_weight": args.label_weight,
        "remember_weight": args.remember_weight,
    }
    if args.loss == "cross_entropy" and args.output is None:
        overrides["output"] = "softmax"  # cross-entropy needs probabilities to compare
    config = preset_config(args.preset).replace(
        **{k: v for k, v in overrides.items() if v is not None}
    )
    return config.validate()


def _train(args: argparse.Namespace, argv: list[str]) -> int:
    config = _config_from(args)
    if args.preset == FINE_TUNE and not args.start_from:
        raise UsageError(f"the {FINE_TUNE} preset adjusts a trained model: add --start-from MODEL")
    start = None
    if args.start_from:
        start = load_model(args.start_from).network
        config = config.replace(
            hidden=start.layer_sizes[1:-1],
            output=start.output,
            start_from=Path(args.start_from).stem,
        ).validate()
    teacher_metadata = teachers = None
    if args.teacher:
        teacher_metadata, teachers = _load_teachers(args.teacher)
        config = config.replace(teacher=Path(args.teacher).stem).validate()
    drawings = None
    if args.class_data is not None:
        drawings = _class_drawings(args.class_data)
        config = config.replace(class_data=True).validate()
    out = Path(args.out) if args.out else None
    if out is not None:
        if out.suffix != SUFFIX:
            raise UsageError(f"--out must end in {SUFFIX}: {out}")
        if out.exists() and not args.force:
            raise FileExistsError(f"{out} already exists; add --force to replace it")
    data = load_mnist(args.data)
    from mnist_core.training.train import train  # TensorFlow loads only when training

    log = sys.stderr if args.json else sys.stdout
    print(
        f"training {'-'.join(map(str, config.layer_sizes))} with {config.engine} engine, "
        f"{config.optimizer} lr {config.learning_rate:g}, {config.loss}, batch "
        f"{config.batch_size}, {config.epochs} epochs on {data.source}",
        file=log,
    )
    printer = _ProgressPrinter(log)
    try:
        result = train(
            config,
            data,
            on_event=printer,
            drawings=drawings,
            start=start,
            logdir=args.logdir,
            teachers=teachers,
        )
    finally:
        printer.close()
    summary = result.summary()
    print(
        f"{result.status}: {result.message}\ntest accuracy {result.evaluation.accuracy:.2%} "
        f"({result.seconds:.1f} s, {result.samples_per_second:,.0f} samples/s once compiled)",
        file=log,
    )
    sides = both_sides(result)
    if sides is not None:
        print(f"{sides.headline}\n  {sides.class_line}\n  {sides.mnist_line}", file=log)
    elif result.class_evaluation is not None:
        print(f"the class's held-out drawings: {result.class_evaluation.accuracy:.2%}", file=log)
    if out is not None:
        command = "python -m mnist_core " + shlex.join(argv)
        metadata = result.metadata(out.stem, args.preset, command)
        if teacher_metadata is not None:
            metadata["teacher"] = teacher_record(teacher_metadata)
        save_model(out, result.network, metadata, args.force)
        summary["saved"] = str(out)
        print(f"saved {out}", file=log)
    else:
        print("not saved (add --out FILE.npz to keep it)", file=log)
    if args.json:
        print(json.dumps(summary))
    return 0


def _load_teachers(path: str) -> tuple[dict, list]:
    """The teacher file's metadata and the networks whose averaged answer is learnt: a
    convolutional teacher's members (TensorFlow loads here), or an MLP file's networks
    (an averaged file's taken apart again)."""
    if is_teacher_file(path):
        from mnist_core.training.conv_net import ConvTeacher  # TensorFlow loads only here

        arrays, metadata = read_teacher(path)
        return metadata, [ConvTeacher(arrays)]
    teacher = load_model(path)
    return teacher.metadata, apart(teacher.network, member_count(teacher.metadata.get("members")))


def teacher_record(metadata: dict) -> dict:
    """What a distilled model keeps of the model it learnt from: how that was made (its
    command, its networks' commands) and how well it read, not its training curves."""
    kept = ("name", "format", "command", "preset", "created", "members", "sha256", "config")
    record = {key: metadata[key] for key in kept if key in metadata}
    if "val_accuracy" in metadata:  # a convolutional teacher is scored on validation only
        record["val_accuracy"] = metadata["val_accuracy"]
        record["member_val_accuracy"] = metadata.get("member_val_accuracy")
    else:
        record["test_accuracy"] = (metadata.get("metrics") or {}).get("test_accuracy")
    return record


def _export(args: argparse.Namespace, argv: list[str]) -> int:
    network = load_model(args.model).network
    from mnist_core.training.keras_files import export_keras  # TensorFlow loads only here

    print(f"wrote {export_keras(network, args.to, args.force)}")
    return 0


def _import(args: argparse.Namespace, argv: list[str]) -> int:
    out = Path(args.out)
    if out.exists() and not args.force:
        raise FileExistsError(f"{out} already exists; add --force to replace it")
    from mnist_core.training.keras_files import import_keras  # TensorFlow loads only here

    network = import_keras(args.keras_file)
    metadata = {
        "name": out.stem,
        "preset": None,
        "command": "python -m mnist_core " + shlex.join(argv),
        "imported_from": Path(args.keras_file).name,
    }
    save_model(out, network, metadata, args.force)
    print(f"wrote {out}: {'-'.join(map(str, network.layer_sizes))}, {network.output} output")
    return 0


def _class_drawings(source: str) -> ClassSet:
    """The class's digits from an exported .npz, or ("") from the app's database."""
    if source:
        return load_class_file(source)
    collection = ClassDrawings(open_database()).collection()
    return ClassSet.from_images(collection.images, collection.labels)


class _ProgressPrinter:
    """A progress bar on stderr, and the loss every 100 steps as the references printed it."""

    def __init__(self, log: TextIO) -> None:
        self.log = log
        self.bar = None
        self.done = 0

    def __call__(self, event: Event) -> None:
        from tqdm import tqdm

        if isinstance(event, RunStarted):
            self.bar = tqdm(total=event.total_steps, unit="step", file=sys.stderr, leave=False)
        elif isinstance(event, BatchEnd):
            if self.bar is not None:
                self.bar.update(event.step - self.done)
                self.bar.set_postfix(loss=f"{event.loss:.4f}", refresh=False)
            self.done = event.step
            if event.step % LOSS_EVERY == 0:
                self._write(f"step {event.step:6d}  epoch {event.epoch}  loss {event.loss:.4f}")
        elif isinstance(event, EpochEnd):
            val = "" if event.val_accuracy is None else f"  val {event.val_accuracy:.2%}"
            self._write(
                f"epoch {event.epoch} done  loss {event.loss:.4f}  train "
                f"{event.train_accuracy:.2%}{val}  {event.samples_per_second:,.0f} samples/s"
            )

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.log)
        else:
            print(line, file=self.log)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _evaluate(args: argparse.Namespace, argv: list[str]) -> int:
    saved = load_model(args.model)
    data = load_mnist(args.data)
    result = evaluate(saved.network, data.x_test, data.y_test)
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0
    print(f"{args.model}: test accuracy {result.accuracy:.2%} on {len(data.y_test)} images")
    print(
        "per digit: " + "  ".join(f"{d}:{a:.1%}" for d, a in enumerate(result.per_class_accuracy))
    )
    print("confusion (rows: true digit, columns: predicted):")
    for digit, row in enumerate(result.confusion):
        print(f"  {digit} " + " ".join(f"{n:5d}" for n in row))
    return 0


def _predict(args: argparse.Namespace, argv: list[str]) -> int:
    images = [(path, read_image(path)) for path in args.images]
    network = load_model(args.model).network
    predictions = []
    for path, image in images:
        reading = read_drawing(network, image)
        predictions.append(
            {
                "file": path,
                "digit": reading.digit,
                "verdict": reading.verdict,
                "probabilities": None
                if reading.probabilities is None
                else [round(float(p), 6) for p in reading.probabilities],
            }
        )
        if not args.json:
            if reading.digit is None:
                print(f"{path}: blank")
            else:
                print(f"{path}: {reading.digit} ({reading.confidence:.1%}, {reading.verdict})")
    if args.json:
        print(json.dumps({"predictions": predictions}))
    return 0


def read_image(path: str) -> np.ndarray:
    """A PNG or JPEG as a greyscale or RGBA array, whatever mode it was saved in; its size
    is checked from its header before its pixels are decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            check_pixels(path, *img.size)
            has_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
            return np.asarray(img.convert("RGBA" if has_alpha else "L"))
    except FileNotFoundError:
        raise UsageError(f"no image at {path}") from None
    except DrawingRefused as exc:
        raise UsageError(str(exc)) from None
    except Image.DecompressionBombError:  # Pillow's own limit, far above ours
        raise UsageError(too_many_pixels(path)) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path} as an image: {exc}") from None
