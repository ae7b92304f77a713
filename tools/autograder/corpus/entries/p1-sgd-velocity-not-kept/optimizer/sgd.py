"""Bug: the velocity is a local variable that starts from zero at every update (plain SGD)."""
import numpy as np


class SGD:
    def update(self, model):
        self.apply_regularization(model)
        for idx, m in enumerate(model.modules):
            if hasattr(m, 'weight'):
                v = np.zeros_like(m.weight)
                v = self.momentum * v - self.learning_rate * m.dw
                m.weight += v
            if hasattr(m, 'bias'):
                v = np.zeros_like(m.bias)
                v = self.momentum * v - self.learning_rate * m.db
                m.bias += v
