"""Public tests of Part 2. Run one file from part2-pytorch with
`python -m unittest tests.test_focalloss`, or all with `python -m unittest discover tests`."""
