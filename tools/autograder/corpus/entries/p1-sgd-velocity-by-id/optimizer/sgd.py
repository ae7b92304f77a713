"""Variant: velocities created on first use, in a dict keyed by id(module)."""
import numpy as np


class SGD:
    def __init__(self, model, learning_rate=1e-4, reg=1e-3, momentum=0.9):
        super().__init__(model, learning_rate, reg)
        self.momentum = momentum
        self.velocity = {}

    def update(self, model):
        self.apply_regularization(model)
        for idx, m in enumerate(model.modules):
            if hasattr(m, 'weight'):
                key = (id(m), 'weight')
                v = self.velocity.get(key, np.zeros_like(m.weight))
                v = self.momentum * v - self.learning_rate * m.dw
                self.velocity[key] = v
                m.weight = m.weight + v
            if hasattr(m, 'bias'):
                key = (id(m), 'bias')
                v = self.velocity.get(key, np.zeros_like(m.bias))
                v = self.momentum * v - self.learning_rate * m.db
                self.velocity[key] = v
                m.bias = m.bias + v
