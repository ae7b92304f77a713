"""A network assembled from a list of layer descriptions."""
from .convolution import Conv2D
from .max_pool import MaxPooling
from .relu import ReLU
from .linear import Linear
from .softmax_ce import SoftmaxCrossEntropy

LAYERS = {"Conv2D": Conv2D, "ReLU": ReLU, "MaxPooling": MaxPooling, "Linear": Linear}
CRITERIA = {"SoftmaxCrossEntropy": SoftmaxCrossEntropy}


def _build(spec, table, what):
    """Instantiate dict(type=..., **kwargs) from `table`, with a clear error for bad types."""
    spec = dict(spec)
    kind = spec.pop("type", None)
    if kind not in table:
        raise ValueError("unknown %s type %r; valid types are: %s"
                         % (what, kind, ", ".join(sorted(table))))
    return table[kind](**spec)


class ConvNet:
    """A sequence of layers followed by a loss.

    Example:
        model = ConvNet([dict(type='Conv2D', in_channels=3, out_channels=32, kernel_size=5,
                              stride=1, padding=2),
                         dict(type='ReLU'),
                         dict(type='MaxPooling', kernel_size=2, stride=2),
                         dict(type='Linear', in_dim=8192, out_dim=10)],
                        dict(type='SoftmaxCrossEntropy'))

    Attributes:
        modules: the layers, in order
        criterion: the loss layer
    """

    def __init__(self, modules, criterion):
        self.modules = [_build(m, LAYERS, "layer") for m in modules]
        self.criterion = _build(criterion, CRITERIA, "criterion")

    def forward(self, x, y):
        """Run x through every layer, then the loss.

        Inputs:
        - x: input images, of shape (N, C, H, W)
        - y: labels, of shape (N,)

        Returns a tuple of:
        - probs: class probabilities, of shape (N, K)
        - loss: scalar loss
        """
        # BEGIN SOLUTION: pass x through self.modules in order, then through self.criterion
        for m in self.modules:
            x = m.forward(x)
        probs, loss = self.criterion.forward(x, y)
        # END SOLUTION
        return probs, loss

    def backward(self):
        """Back-propagate from the loss through every layer (in reverse order).

        Afterwards every layer holds its gradients (dx, and dw/db where it has weights).
        """
        # BEGIN SOLUTION: run the criterion's backward, then each module's in reverse order
        self.criterion.backward()
        dout = self.criterion.dx
        for m in reversed(self.modules):
            m.backward(dout)
            dout = m.dx
        # END SOLUTION
