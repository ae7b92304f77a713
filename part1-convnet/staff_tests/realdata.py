"""Where the staff tests find the real CIFAR-10 (fetched by `make data`)."""
import os

PART = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CIFAR_DIR = os.path.join(PART, "data", "cifar-10-batches-py")


def require_cifar10():
    if not os.path.isfile(os.path.join(CIFAR_DIR, "data_batch_1")):
        raise RuntimeError("these tests need the real CIFAR-10 in %s: run `make data` first"
                           % CIFAR_DIR)
    return CIFAR_DIR
