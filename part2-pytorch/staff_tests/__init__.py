"""Staff-only tests of Part 2 (never released). Run from part2-pytorch:
`python -m pytest staff_tests` or `python -m unittest discover staff_tests`."""
