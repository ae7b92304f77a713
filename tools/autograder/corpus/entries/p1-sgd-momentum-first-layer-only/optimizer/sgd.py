"""Bug: velocities are made in __init__ for the first layer only; the other layers get plain SGD."""
import numpy as np


class SGD:
    def __init__(self, model, learning_rate=1e-4, reg=1e-3, momentum=0.9):
        super().__init__(model, learning_rate, reg)
        self.momentum = momentum
        first = model.modules[0]
        self.velocity = {0: [np.zeros_like(first.weight), np.zeros_like(first.bias)]}

    def update(self, model):
        self.apply_regularization(model)
        for idx, m in enumerate(model.modules):
            if hasattr(m, 'weight'):
                v = self.velocity.get(idx, [np.zeros_like(m.weight), np.zeros_like(m.bias)])
                v[0] = self.momentum * v[0] - self.learning_rate * m.dw
                m.weight += v[0]
            if hasattr(m, 'bias'):
                v = self.velocity.get(idx, [np.zeros_like(m.weight), np.zeros_like(m.bias)])
                v[1] = self.momentum * v[1] - self.learning_rate * m.db
                m.bias += v[1]
