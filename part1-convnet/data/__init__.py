from .data_processing import get_CIFAR10_data
