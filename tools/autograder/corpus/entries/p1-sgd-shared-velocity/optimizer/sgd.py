"""Bug: one weight velocity and one bias velocity shared by every layer."""
import numpy as np


class SGD:
    def __init__(self, model, learning_rate=1e-4, reg=1e-3, momentum=0.9):
        super().__init__(model, learning_rate, reg)
        self.momentum = momentum
        self.v_w = 0
        self.v_b = 0

    def update(self, model):
        self.apply_regularization(model)
        for idx, m in enumerate(model.modules):
            if hasattr(m, 'weight'):
                self.v_w = self.momentum * self.v_w - self.learning_rate * m.dw
                m.weight += self.v_w
            if hasattr(m, 'bias'):
                self.v_b = self.momentum * self.v_b - self.learning_rate * m.db
                m.bias += self.v_b
