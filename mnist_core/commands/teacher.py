"""`python -m mnist_core teacher --out cnn.npz`: train the convolutional teacher that the
bundled MLP is distilled from (`train --teacher cnn.npz`). Training only: the app never
loads this file."""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import fields
from pathlib import Path

from mnist_core.config import ConfigError, TrainConfig
from mnist_core.training.mnist import load_mnist
from mnist_core.training.teacher_files import save_teacher


def add_teacher_command(commands: argparse._SubParsersAction) -> None:
    """The `teacher` command, on the main parser; every TeacherConfig setting is a flag."""
    from mnist_core.training.teacher_config import TeacherConfig

    parser = commands.add_parser(
        "teacher", help="train a convolutional teacher to distil the bundled MLP from"
    )
    for field in fields(TeacherConfig):
        flag = "--" + field.name.replace("_", "-")
        parser.add_argument(flag, type=type(field.default), default=field.default)
    parser.add_argument("--data", help="a local mnist.npz (else $MNIST_PATH, else download)")
    parser.add_argument("--out", required=True, help="the teacher file to write (.npz)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")


def run_teacher(args: argparse.Namespace, argv: list[str]) -> int:
    from mnist_core.training.teacher_config import TeacherConfig

    out = Path(args.out)
    if out.suffix != ".npz":
        raise ConfigError(f"--out must end in .npz: {out}")
    if out.exists() and not args.force:
        raise FileExistsError(f"{out} already exists; add --force to replace it")
    config = TeacherConfig(**{f.name: getattr(args, f.name) for f in fields(TeacherConfig)})
    config.validate()
    data = load_mnist(args.data)
    from mnist_core.training.conv_teacher import train_teacher  # TensorFlow loads only here

    # The last training images held out, as the MLP presets hold them: 5,000 of MNIST's 60,000.
    split = data.split_validation(TrainConfig().validation_count(len(data.x_train)))
    arrays, metadata = train_teacher(config, split, lambda line: print(line, flush=True))
    metadata["command"] = "python -m mnist_core " + shlex.join(argv)
    metadata["data_source"] = data.source
    save_teacher(out, arrays, metadata)
    print(
        f"wrote {out}: validation {metadata['val_accuracy']:.2%} (members "
        + ", ".join(f"{a:.2%}" for a in metadata["member_val_accuracy"])
        + f") in {metadata['train_seconds']:.0f} s",
        file=sys.stdout,
    )
    return 0
