"""What every optimizer shares: a learning rate and L2 weight regularisation (given)."""


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python finds this file."""
    print("Roger that from _base_optimizer.py!")


class _BaseOptimizer:
    """Base class of the optimizers; subclasses implement update(model).

    Inputs:
    - model: a network whose `modules` list holds the layers (e.g. a ConvNet)
    - learning_rate: step size
    - reg: strength of the L2 penalty 0.5 * reg * ||W||^2 on every weight
    """

    def __init__(self, model, learning_rate=1e-4, reg=1e-3):
        self.learning_rate = learning_rate
        self.reg = reg

    def update(self, model):
        """Change the parameters of `model`; each optimizer overrides this."""
        pass

    def apply_regularization(self, model):
        """Add the gradient of the L2 penalty, reg * weight, to m.dw of every module with a weight.

        Biases are not regularised. Call this after backward() and before the update.
        """
        for m in model.modules:
            if hasattr(m, 'weight'):
                m.dw += self.reg * m.weight
