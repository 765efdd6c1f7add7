"""Digit Lab's engine, with no Streamlit anywhere in it. Its folders are its boundary:

- `serving/`: reading a drawing (preprocess, network, reading, model files, evaluation).
  NumPy, Pillow and SciPy only: this is what the Streamlit server runs on every stroke.
- `training/`: layers, optimizers, augmentation, the two engines, the reporter. TensorFlow
  lives only here, and runs in the command line or in a training process.
- `runs/`: the app's training runs: the registry, the training process, the events and
  results that cross between them. The registry never imports TensorFlow.
- `storage/`: what is kept and where (`locations`): the class's labelled drawings and the
  runs in one database (SQLite or PostgreSQL, through SQLAlchemy). No TensorFlow.
- `presentation/`: charts, descriptions, pictures and the model list, for the pages.
- `commands/`: the command line (`python -m mnist_core`), one module per group of commands.
- top level: the settings (`config`, `presets`), MNIST files (`dataset`) and who may do
  what (`roles`).

The import contracts in pyproject.toml check this (`lint-imports`).
"""
