"""Public tests of Part 2. From the part2-pytorch folder:

    python -m unittest tests                  # every test below
    python -m unittest tests.test_focalloss   # one file
"""
import os


def load_tests(loader, standard_tests, pattern):
    # `python -m unittest tests` loads this package only: add every test*.py module in it
    here = os.path.dirname(os.path.abspath(__file__))
    standard_tests.addTests(loader.discover(start_dir=here, pattern=pattern or "test*.py",
                                            top_level_dir=os.path.dirname(here)))
    return standard_tests
