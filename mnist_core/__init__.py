"""Digit Lab's engine, with no Streamlit anywhere in it. Its folders are its boundary:

- `serving/`: reading a drawing (preprocess, network, reading, model files, evaluation).
  NumPy, Pillow and SciPy only: this is what the Streamlit server runs on every stroke.
- `training/`: layers, optimizers, augmentation, the two engines, the reporter. TensorFlow
  lives only here, and runs in the command line or in a training process.
- `runs/`: the app's training runs: the registry, the training process, the events and
  results that cross between them. The registry never imports TensorFlow.
- `storage/`: what is kept: the class's labelled drawings in one database (SQLite or
  PostgreSQL, through SQLAlchemy). No TensorFlow.
- `presentation/`: charts, descriptions, pictures and the model list, for the pages.
- top level: the settings (`config`, `presets`), MNIST files (`dataset`), where things are
  kept (`locations`), and the command line (`cli`, `class_commands`).

The import contracts in pyproject.toml check this (`lint-imports`).
"""
