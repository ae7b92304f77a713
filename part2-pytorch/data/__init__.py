from .data_processing import Imbalanced_CIFAR10
from .verified_cifar10 import CIFAR10  # beside the course's export: torchvision's CIFAR10, checked by content