"""Variant: each layer carries its own velocities as new attributes (v_w, v_b), updated in place."""
import numpy as np


class SGD:
    def update(self, model):
        self.apply_regularization(model)
        for idx, m in enumerate(model.modules):
            if hasattr(m, 'weight'):
                if not hasattr(m, 'v_w'):
                    m.v_w = np.zeros_like(m.weight)
                m.v_w = self.momentum * m.v_w - self.learning_rate * m.dw
                m.weight += m.v_w
            if hasattr(m, 'bias'):
                if not hasattr(m, 'v_b'):
                    m.v_b = np.zeros_like(m.bias)
                m.v_b = self.momentum * m.v_b - self.learning_rate * m.db
                m.bias += m.v_b
