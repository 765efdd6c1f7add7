"""The convolutional teacher's settings: plain Python, so the command line can list and
check them without loading TensorFlow."""

from __future__ import annotations

from dataclasses import dataclass

from mnist_core.config import ConfigError


@dataclass(frozen=True)
class TeacherConfig:
    channels: int = 32  # the first 5x5 convolution's filters; the second has twice as many
    hidden: int = 256  # dense units after the two convolutions
    dropout: float = 0.3  # share of those units dropped while training, against overfitting
    epochs: int = 15  # passes over the 55,000 training images (about 25 s each here)
    learning_rate: float = 1e-3  # Adam's first step, decayed to zero along a cosine
    batch_size: int = 128  # images per step, as the MLP presets use
    members: int = 2  # networks trained apart, from seeds seed, seed + 1, ...; logits averaged
    seed: int = 0  # the first member's weights, shuffling, augmentation and styles

    def validate(self) -> TeacherConfig:
        if not (1 <= self.channels <= 256 and 1 <= self.hidden <= 4096):
            raise ConfigError("the teacher needs 1-256 channels and 1-4096 hidden units")
        if not 0 <= self.dropout < 1:
            raise ConfigError(f"dropout must be 0 to 1, got {self.dropout}")
        if not (1 <= self.epochs <= 200 and 1 <= self.members <= 8):
            raise ConfigError("the teacher needs 1-200 epochs and 1-8 members")
        if not self.learning_rate > 0:
            raise ConfigError(f"the learning rate must be above 0, got {self.learning_rate}")
        return self
