"""Digit Lab's engine: MNIST data, the network, training, preprocessing and evaluation.

No Streamlit anywhere in it. The serving side (preprocess, network, reading, model_files,
evaluation, jobs) imports no TensorFlow; training, layers, optimizers, augment and the two
engines do, and run in the command line (`python -m mnist_core`) or a training process.
"""
