"""The three graded checkpoints on the CIFAR-10 test set, with the thresholds of the handout."""

from grader.framework import GradedCase, graded, leaderboard, submission_root
from gtests.part2.cifar_eval import accuracy

LIMIT = 900  # seconds: the first test of a model evaluates it on 10,000 images
TWOLAYER = ["models/twolayer.py", "checkpoints/twolayernet.pth"]
VANILLA = ["models/cnn.py", "checkpoints/vanillacnn.pth"]
MYMODEL = ["models/my_model.py", "checkpoints/mymodel.pth"]


def twolayer_accuracy():
    return accuracy("twolayer", "models.twolayer", "TwoLayerNet", [3072, 256, 10],
                    "checkpoints/twolayernet.pth", submission_root())


def vanilla_accuracy():
    return accuracy("vanilla", "models.cnn", "VanillaCNN", [], "checkpoints/vanillacnn.pth",
                    submission_root())


def mymodel_accuracy():
    acc = accuracy("mymodel", "models.my_model", "MyModel", [], "checkpoints/mymodel.pth",
                   submission_root())
    leaderboard("MyModel accuracy", acc)
    return acc


class TestCheckpoints(GradedCase):
    @graded(5, timeout=LIMIT, requires=TWOLAYER)
    def test_twolayer(self):
        """checkpoint twolayernet.pth: TwoLayerNet test accuracy between 0.3 and 0.4"""
        acc = twolayer_accuracy()
        self.assertTrue(0.3 < acc < 0.4, "TwoLayerNet (models/twolayer.py) loaded from "
                        "checkpoints/twolayernet.pth: test accuracy %.4f is not between 0.3 and 0.4 "
                        "(train it with configs/config_twolayer.yaml unmodified)" % acc)

    @graded(5, timeout=LIMIT, requires=VANILLA)
    def test_vanilla(self):
        """checkpoint vanillacnn.pth: VanillaCNN test accuracy above 0.4"""
        acc = vanilla_accuracy()
        self.assertGreater(acc, 0.4, "VanillaCNN (models/cnn.py) loaded from "
                           "checkpoints/vanillacnn.pth: test accuracy %.4f is not above 0.4" % acc)

    @graded(5, timeout=LIMIT, requires=MYMODEL)
    def test_mymodel_50(self):
        """checkpoint mymodel.pth: MyModel test accuracy above 0.5"""
        acc = mymodel_accuracy()
        self.assertGreater(acc, 0.5, "MyModel (models/my_model.py) loaded from "
                           "checkpoints/mymodel.pth: test accuracy %.4f is not above 0.5" % acc)

    @graded(5, timeout=LIMIT, requires=MYMODEL)
    def test_mymodel_60(self):
        """checkpoint mymodel.pth: MyModel test accuracy above 0.6"""
        acc = mymodel_accuracy()
        self.assertGreater(acc, 0.6, "MyModel test accuracy %.4f is not above 0.6" % acc)

    @graded(5, timeout=LIMIT, requires=MYMODEL)
    def test_mymodel_70(self):
        """checkpoint mymodel.pth: MyModel test accuracy above 0.7"""
        acc = mymodel_accuracy()
        self.assertGreater(acc, 0.7, "MyModel test accuracy %.4f is not above 0.7" % acc)
