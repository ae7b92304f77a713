"""The two-layer network's checkpoint, trained with the unmodified config, on the CIFAR-10 test set."""
import unittest

from tests.checkpoint_eval import checkpoint_path, evaluate_checkpoint
from models import TwoLayerNet


class TestTwoLayerNet(unittest.TestCase):
    def test_accuracy(self):
        acc = evaluate_checkpoint(TwoLayerNet(3072, 256, 10), checkpoint_path("twolayernet.pth"))
        self.assertGreater(acc, 0.3)
        self.assertLess(acc, 0.4)


if __name__ == "__main__":
    unittest.main()
