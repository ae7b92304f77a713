"""The networks of Part 2. The Solver picks one by the config's `model` name."""
from .twolayer import TwoLayerNet
from .cnn import VanillaCNN
from .my_model import MyModel
from .resnet import resnet32

__all__ = ["TwoLayerNet", "VanillaCNN", "MyModel", "resnet32"]
