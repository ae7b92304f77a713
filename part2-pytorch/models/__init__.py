from .twolayer import TwoLayerNet
from .cnn import VanillaCNN
from .my_model import MyModel
from .resnet import *