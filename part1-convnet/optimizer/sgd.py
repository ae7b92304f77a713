"""Stochastic gradient descent with momentum."""
from ._base_optimizer import _BaseOptimizer


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python finds this file."""
    print("Roger that from sgd.py!")


class SGD(_BaseOptimizer):
    """SGD with (classical, not Nesterov) momentum.

    For every parameter w with gradient dw (regularisation included):

        v = momentum * v - learning_rate * dw
        w = w + v

    v starts at zero and is kept separately for each layer and each parameter. You may add
    members to this class to store the velocities.
    """

    def __init__(self, model, learning_rate=1e-4, reg=1e-3, momentum=0.9):
        super().__init__(model, learning_rate, reg)
        self.momentum = momentum

    def update(self, model):
        """Regularise, then take one momentum step on every weight and bias of `model`.

        Inputs:
        - model: the network whose backward() has just filled every layer's dw and db
        """
        self.apply_regularization(model)

        for idx, m in enumerate(model.modules):
            if hasattr(m, 'weight'):
                # BEGIN SOLUTION: implement the momentum update of the weights | stub: pass
                #: Hint: keep one velocity per module (e.g. keyed by idx); each starts at zero.
                if not hasattr(self, 'velocities'):
                    self.velocities = {}    # (parameter name, module index) -> velocity
                key = ('weight', idx)
                v = self.momentum * self.velocities.get(key, 0.0) - self.learning_rate * m.dw
                self.velocities[key] = v
                m.weight += v
                # END SOLUTION
            if hasattr(m, 'bias'):
                # BEGIN SOLUTION: implement the momentum update of the bias | stub: pass
                if not hasattr(self, 'velocities'):
                    self.velocities = {}
                key = ('bias', idx)
                v = self.momentum * self.velocities.get(key, 0.0) - self.learning_rate * m.db
                self.velocities[key] = v
                m.bias += v
                # END SOLUTION
