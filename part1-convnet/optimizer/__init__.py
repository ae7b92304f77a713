"""Optimizers for Part 1's NumPy CNN."""
from ._base_optimizer import _BaseOptimizer
from .sgd import SGD

__all__ = ["_BaseOptimizer", "SGD"]
