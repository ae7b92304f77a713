"""Public unit tests of Part 1 (NumPy only). Run one file from part1-convnet with
`python -m unittest tests.test_conv`, or all with `python -m unittest discover tests`."""
