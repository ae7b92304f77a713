import pathlib
import unittest

import torch
import torchvision  # noqa: F401
import torchvision.transforms as transforms

from data import CIFAR10  # torchvision's CIFAR10, checked by content (accepts mirror-built data)
from models import *  # noqa: F401,F403

# the part2-pytorch folder
basedir = pathlib.Path(__file__).parent.parent.resolve()


def accuracy(output, target):
    """Fraction of the batch whose highest score is the true class."""
    batch_size = target.shape[0]
    _, pred = torch.max(output, dim=-1)
    correct = pred.eq(target).sum() * 1.0
    return correct / batch_size


class AverageMeter(object):
    """Keeps the latest value and the average, weighted by batch size."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.val = 0
        self.avg = 0
        self.sum = 0
        self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


def evaluate(model):
    """Top-1 accuracy of `model` on the CIFAR-10 test set (in ./data, relative to where you run)."""
    transform = transforms.Compose([
        transforms.ToTensor(),
        transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)),
    ])
    test_dataset = CIFAR10(root="./data", train=False, download=True, transform=transform)
    test_loader = torch.utils.data.DataLoader(test_dataset, batch_size=100, shuffle=False, num_workers=2)
    acc = AverageMeter()
    for data, target in test_loader:
        out = model(data)
        batch_acc = accuracy(out, target)
        acc.update(batch_acc, out.shape[0])
    return acc.avg


class TestTwoLayer(unittest.TestCase):
    """The two-layer network trained with configs/config_twolayer.yaml (unmodified)."""

    def setUp(self):
        pass

    def test_accuracy(self):
        model = TwoLayerNet(3072, 256, 10)  # noqa: F405
        state_dict = torch.load(str(basedir) + "/checkpoints/twolayernet.pth", weights_only=True)
        model.load_state_dict(state_dict)
        acc = evaluate(model)
        self.assertGreater(acc, 0.3)
        self.assertLess(acc, 0.4)
