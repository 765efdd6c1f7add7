"""The command line (`python -m mnist_core`): one module per group of commands.

`main` holds the parser and train / evaluate / predict / export; `average` puts networks
side by side; `classroom` reads the class's drawings. The core's concepts live in the
folders beside this one; these modules only parse, call them and print.
"""
