"""Bug: adds reg * weight to the gradient again, after the given apply_regularization already did."""
import numpy as np


class SGD:
    def __init__(self, model, learning_rate=1e-4, reg=1e-3, momentum=0.9):
        super().__init__(model, learning_rate, reg)
        self.momentum = momentum
        self.vel = {}

    def update(self, model):
        self.apply_regularization(model)
        for idx, m in enumerate(model.modules):
            if hasattr(m, 'weight'):
                grad = m.dw + self.reg * m.weight
                v = self.vel.get((idx, 'w'), 0.0)
                self.vel[(idx, 'w')] = self.momentum * v - self.learning_rate * grad
                m.weight += self.vel[(idx, 'w')]
            if hasattr(m, 'bias'):
                v = self.vel.get((idx, 'b'), 0.0)
                self.vel[(idx, 'b')] = self.momentum * v - self.learning_rate * m.db
                m.bias += self.vel[(idx, 'b')]
