"""Your own network's checkpoint on the CIFAR-10 test set: three thresholds, one test each."""
import os
import unittest

from tests.checkpoint_eval import checkpoint_path, evaluate_checkpoint

CHECKPOINT = checkpoint_path("mymodel.pth")


@unittest.skipUnless(os.path.exists(CHECKPOINT),
                     "checkpoints/mymodel.pth does not exist yet: train MyModel with its config first")
class TestMyModel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from models import MyModel
        cls.acc = evaluate_checkpoint(MyModel(), CHECKPOINT)

    def test_above_50(self):
        self.assertGreater(self.acc, 0.5)

    def test_above_60(self):
        self.assertGreater(self.acc, 0.6)

    def test_above_70(self):
        self.assertGreater(self.acc, 0.7)


if __name__ == "__main__":
    unittest.main()
