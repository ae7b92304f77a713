"""Stochastic gradient descent with momentum."""
import numpy as np

from ._base_optimizer import _BaseOptimizer


class SGD(_BaseOptimizer):
    """SGD with (classical, not Nesterov) momentum.

    For every parameter w with gradient dw (regularisation included):

        v = momentum * v - learning_rate * dw
        w = w + v

    v starts at zero and is kept separately for each layer and each parameter.
    """

    def __init__(self, model, learning_rate=1e-4, reg=1e-3, momentum=0.9):
        super().__init__(model, learning_rate, reg)
        self.momentum = momentum
        # One velocity per parameter of every layer that has weights, keyed by layer index.
        self.velocities = {}
        for idx, m in enumerate(model.modules):
            if hasattr(m, "weight"):
                self.velocities[idx] = {"weight": np.zeros_like(m.weight),
                                        "bias": np.zeros_like(m.bias)}

    def update(self, model):
        """Regularise, then take one momentum step on every weight and bias of `model`.

        Inputs:
        - model: the network whose backward() has just filled every layer's dw and db
        """
        self.apply_regularization(model)
        # BEGIN SOLUTION: update the velocities and then every module's weight and bias
        for idx, m in enumerate(model.modules):
            if not hasattr(m, "weight"):
                continue
            v = self.velocities[idx]
            v["weight"] = self.momentum * v["weight"] - self.learning_rate * m.dw
            v["bias"] = self.momentum * v["bias"] - self.learning_rate * m.db
            m.weight += v["weight"]
            m.bias += v["bias"]
        # END SOLUTION
