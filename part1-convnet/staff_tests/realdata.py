"""Where the staff tests find the real CIFAR-10 (fetched by `make data`)."""
import os

PART = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The layout of the course's notebook: <part>/data/cifar10/cifar-10-batches-py.
CIFAR_DIR = os.path.join(PART, "data", "cifar10", "cifar-10-batches-py")


def require_cifar10():
    if not os.path.isfile(os.path.join(CIFAR_DIR, "data_batch_1")):
        raise RuntimeError("these tests need the real CIFAR-10 in %s: run `make data` first"
                           % CIFAR_DIR)
    return CIFAR_DIR


_FIRST_50 = []


def first_50_training_images():
    """X_train[:50], y_train[:50] exactly as the notebook gets them (loaded once per process)."""
    if not _FIRST_50:
        from data import get_CIFAR10_data
        X_train, y_train = get_CIFAR10_data(require_cifar10())[:2]
        _FIRST_50.append((X_train[:50].copy(), y_train[:50].copy()))
    return _FIRST_50[0]
