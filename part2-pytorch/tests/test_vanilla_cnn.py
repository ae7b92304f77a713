"""The vanilla CNN's checkpoint, trained with the unmodified config, on the CIFAR-10 test set."""
import unittest

from tests.checkpoint_eval import checkpoint_path, evaluate_checkpoint
from models import VanillaCNN


class TestVanillaCNN(unittest.TestCase):
    def test_accuracy(self):
        acc = evaluate_checkpoint(VanillaCNN(), checkpoint_path("vanillacnn.pth"))
        self.assertGreater(acc, 0.4)


if __name__ == "__main__":
    unittest.main()
