"""ConvNet: a network assembled from a list of layer descriptions, followed by a loss."""
import numpy as np

from .softmax_ce import SoftmaxCrossEntropy
from .relu import ReLU
from .max_pool import MaxPooling
from .convolution import Conv2D
from .linear import Linear


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python finds this file."""
    print("Roger that from conv_classifier.py!")


# The keys each layer type needs in its description dict (all are required).
_LAYER_KEYS = {
    "Conv2D": ("in_channels", "out_channels", "kernel_size", "stride", "padding"),
    "ReLU": (),
    "MaxPooling": ("kernel_size", "stride"),
    "Linear": ("in_dim", "out_dim"),
}


def _check_layer(m):
    """Raise a ValueError naming what is wrong with one layer description."""
    if not isinstance(m, dict):
        raise ValueError("each layer description must be a dict such as dict(type='ReLU'), got "
                         "%r; pass ConvNet a list of dicts" % (m,))
    kind = m.get("type")
    if kind not in _LAYER_KEYS:
        raise ValueError("unknown layer type %r; valid types are: %s"
                         % (kind, ", ".join(sorted(_LAYER_KEYS))))
    missing = [key for key in _LAYER_KEYS[kind] if key not in m]
    if missing:
        raise ValueError("a %s layer needs the keys %s; %r lacks %s"
                         % (kind, ", ".join(_LAYER_KEYS[kind]), m, ", ".join(missing)))


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
        if isinstance(modules, (dict, str)) or not hasattr(modules, "__iter__"):
            raise ValueError("ConvNet expects a list of layer descriptions such as "
                             "[dict(type='ReLU')], got %r; wrap a single layer in a list"
                             % (modules,))
        if not isinstance(criterion, dict):
            raise ValueError("ConvNet expects the criterion as a dict, got %r; pass "
                             "dict(type='SoftmaxCrossEntropy')" % (criterion,))
        self.modules = []
        for m in modules:
            _check_layer(m)
            if m['type'] == 'Conv2D':
                self.modules.append(
                    Conv2D(m['in_channels'], m['out_channels'], m['kernel_size'],
                           m['stride'], m['padding'])
                )
            elif m['type'] == 'ReLU':
                self.modules.append(ReLU())
            elif m['type'] == 'MaxPooling':
                self.modules.append(MaxPooling(m['kernel_size'], m['stride']))
            elif m['type'] == 'Linear':
                self.modules.append(Linear(m['in_dim'], m['out_dim']))
        if criterion['type'] == 'SoftmaxCrossEntropy':
            self.criterion = SoftmaxCrossEntropy()
        else:
            raise ValueError("Wrong Criterion Passed: %r; the only criterion is "
                             "dict(type='SoftmaxCrossEntropy')" % (criterion.get('type'),))

    def forward(self, x, y):
        """Run x through every layer, then the loss.

        Inputs:
        - x: input images, of shape (N, C, H, W)
        - y: labels, of shape (N,)

        Returns a tuple of:
        - probs: class probabilities, of shape (N, num_classes)
        - loss: scalar loss
        """
        if np.shape(x)[:1] != np.shape(y)[:1] or np.ndim(x) == 0:
            # Checked before the layers run, so the mistake costs no forward pass.
            raise ValueError("ConvNet.forward expects images x (N, C, H, W) and labels y (N,) "
                             "for the same N, got x of shape %s and y of shape %s; pass the "
                             "labels of the same batch" % (np.shape(x), np.shape(y)))
        probs = None
        loss = None
        # BEGIN SOLUTION: implement the forward pass of the model: every module in order, then the criterion
        for m in self.modules:
            x = m.forward(x)
        probs, loss = self.criterion.forward(x, y)
        # END SOLUTION
        return probs, loss

    def backward(self):
        """Back-propagate from the loss through every layer (in reverse order).

        Afterwards every layer holds its gradients (dx, and dw/db where it has weights).
        """
        # BEGIN SOLUTION: implement the backward pass of the model: the criterion, then every module in reverse order
        #: Hint: each module's backward sets its dx, which is the dout of the module before it.
        self.criterion.backward()
        dout = self.criterion.dx
        for m in reversed(self.modules):
            m.backward(dout)
            dout = m.dx
        # END SOLUTION
