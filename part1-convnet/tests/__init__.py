"""Public tests of Part 1 (NumPy only).

    python -m unittest tests              # every public test (from part1-convnet)
    python -m unittest tests.test_conv    # one file
    pytest tests/test_conv.py             # or with pytest
"""
import os


def load_tests(loader, standard_tests, pattern):
    # `python -m unittest tests` loads this package; find every test file in it.
    here = os.path.dirname(os.path.abspath(__file__))
    standard_tests.addTests(loader.discover(start_dir=here, pattern=pattern or "test*.py",
                                            top_level_dir=os.path.dirname(here)))
    return standard_tests
