"""The layers of Part 1's NumPy CNN."""
from .convolution import Conv2D
from .max_pool import MaxPooling
from .relu import ReLU
from .linear import Linear
from .softmax_ce import SoftmaxCrossEntropy
from .conv_classifier import ConvNet

__all__ = ["Conv2D", "MaxPooling", "ReLU", "Linear", "SoftmaxCrossEntropy", "ConvNet"]
