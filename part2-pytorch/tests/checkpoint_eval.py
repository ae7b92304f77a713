"""Shared by the checkpoint tests: evaluate saved weights on the real CIFAR-10 test set.

The test set goes through the standard test transform (ToTensor, then Normalize
with the course's mean and std), exactly as the autograder does.
"""
import os
import sys

import torch
import torchvision.transforms as T

PART2 = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if PART2 not in sys.path:
    sys.path.insert(0, PART2)

from data import CIFAR10  # noqa: E402
from solver import load_checkpoint  # noqa: E402

TEST_TRANSFORM = T.Compose([T.ToTensor(),
                            T.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010))])


def checkpoint_path(name):
    return os.path.join(PART2, "checkpoints", name)


def evaluate_checkpoint(model, checkpoint, batch_size=500):
    """Load `checkpoint` (a state_dict, weights only) into `model`; return its top-1 test accuracy."""
    load_checkpoint(model, checkpoint)  # torch.load(..., weights_only=True), clear error if mismatched
    model.eval()
    test_set = CIFAR10(os.path.join(PART2, "data"), train=False, transform=TEST_TRANSFORM)
    loader = torch.utils.data.DataLoader(test_set, batch_size=batch_size, shuffle=False, num_workers=0)
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
    return correct / len(test_set)
