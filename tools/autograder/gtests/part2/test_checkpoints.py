"""The three graded checkpoints on the CIFAR-10 test set, with the thresholds of the handout."""

from grader.framework import GradedCase, graded, leaderboard, student
from gtests.part2.cifar_eval import accuracy

LIMIT = 900  # seconds: the first test of a model evaluates it on 10,000 images
TWOLAYER = ["models/twolayer.py", "checkpoints/twolayernet.pth"]
VANILLA = ["models/cnn.py", "checkpoints/vanillacnn.pth"]
MYMODEL = ["models/my_model.py", "checkpoints/mymodel.pth"]


def twolayer_accuracy():
    TwoLayerNet = student("models.twolayer", "TwoLayerNet")
    return accuracy("twolayer", lambda: TwoLayerNet(3072, 256, 10), "checkpoints/twolayernet.pth")


def vanilla_accuracy():
    VanillaCNN = student("models.cnn", "VanillaCNN")
    return accuracy("vanilla", VanillaCNN, "checkpoints/vanillacnn.pth")


def mymodel_accuracy():
    MyModel = student("models.my_model", "MyModel")
    acc = accuracy("mymodel", MyModel, "checkpoints/mymodel.pth")
    leaderboard("MyModel accuracy", acc)
    return acc


class TestCheckpoints(GradedCase):
    @graded(5, timeout=LIMIT, requires=TWOLAYER)
    def test_twolayer(self):
        """TwoLayerNet checkpoint: test accuracy between 0.3 and 0.4"""
        acc = twolayer_accuracy()
        self.assertTrue(0.3 < acc < 0.4, "TwoLayerNet test accuracy %.4f is not between 0.3 and "
                        "0.4 (train it with configs/config_twolayer.yaml unmodified)" % acc)

    @graded(5, timeout=LIMIT, requires=VANILLA)
    def test_vanilla(self):
        """VanillaCNN checkpoint: test accuracy above 0.4"""
        acc = vanilla_accuracy()
        self.assertGreater(acc, 0.4, "VanillaCNN test accuracy %.4f is not above 0.4" % acc)

    @graded(5, timeout=LIMIT, requires=MYMODEL)
    def test_mymodel_50(self):
        """MyModel checkpoint: test accuracy above 0.5"""
        acc = mymodel_accuracy()
        self.assertGreater(acc, 0.5, "MyModel test accuracy %.4f is not above 0.5" % acc)

    @graded(5, timeout=LIMIT, requires=MYMODEL)
    def test_mymodel_60(self):
        """MyModel checkpoint: test accuracy above 0.6"""
        acc = mymodel_accuracy()
        self.assertGreater(acc, 0.6, "MyModel test accuracy %.4f is not above 0.6" % acc)

    @graded(5, timeout=LIMIT, requires=MYMODEL)
    def test_mymodel_70(self):
        """MyModel checkpoint: test accuracy above 0.7"""
        acc = mymodel_accuracy()
        self.assertGreater(acc, 0.7, "MyModel test accuracy %.4f is not above 0.7" % acc)
