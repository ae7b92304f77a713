"""pytest set-up for this part's tests (staff: `make test`; not shipped to students).

The course's public tests draw their inputs from NumPy's global random state without
seeding it, so what they draw depends on which tests ran before. One of them,
tests/test_conv.py's numeric-gradient check, then fails on about 1 draw in 300 (the
finite-difference error of dw reaches 2.3e-6 against its 1e-6 tolerance, whatever the
layer's code). Seeding the global state before every test makes each test see the same
inputs on every run, alone or in the whole suite, so `make test` is deterministic.
"""
import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _seed_numpy():
    np.random.seed(0)
    yield
