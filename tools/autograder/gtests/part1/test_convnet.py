"""ConvNet: forward and backward wire the layers and the loss together, in order.

The network is run on stand-in layers (probes/part1.py's tapes) that return arrays
chosen here and record what they receive, so only conv_classifier.py is graded:
a bug in a layer costs points in that layer's tests alone.
"""

import numpy as np

from grader.framework import GradedCase, HIDDEN, graded, probe
from gtests.checks import assert_close

FILE = ["modules/conv_classifier.py"]
NAMES = ["Conv2D", "ReLU", "MaxPooling", "Linear"]


def tapes(n, shapes, classes, seed):
    """The arrays the stand-ins return: outputs of each layer, their dx, the loss's."""
    rng = np.random.RandomState(seed)
    a = dict(x=rng.randn(*shapes[0]), y=rng.randint(classes, size=n), n_layers=np.array(len(NAMES)))
    for i in range(len(NAMES)):
        a["out%d" % i] = rng.randn(*shapes[i + 1])
        a["dx%d" % i] = rng.randn(*shapes[i])
    a["probs"], a["loss"] = rng.rand(n, classes), np.array(rng.rand())
    a["crit_dx"] = rng.randn(n, classes)
    return a


def check_net(shapes, classes, seed, backward):
    n = shapes[0][0]
    a = tapes(n, shapes, classes, seed)
    where = "ConvNet.forward(x of shape %s, y of shape %s) in modules/conv_classifier.py " \
            "(layers Conv2D -> ReLU -> MaxPooling -> Linear, then SoftmaxCrossEntropy)" % (shapes[0], (n,))
    got = probe("convnet", dict(backward=backward), **a)
    if backward:  # the forward pass has its own tests: here only what backward does is graded
        return check_backward(got, a)
    for i, name in enumerate(NAMES):
        given = a["x"] if i == 0 else a["out%d" % (i - 1)]
        source = "x" if i == 0 else "the output of %s" % NAMES[i - 1]
        if "in%d" % i not in got:
            raise AssertionError("%s: %s.forward was never called" % (where, name))
        assert_close(got["in%d" % i], given, "%s: the input of %s.forward (should be %s)"
                     % (where, name, source), rtol=0, atol=0)
    if "crit_x" not in got:
        raise AssertionError("%s: the criterion's forward was never called" % where)
    assert_close(got["crit_x"], a["out3"], where + ": the scores given to the criterion (should "
                 "be the output of Linear)", rtol=0, atol=0)
    assert_close(got.get("crit_y"), a["y"], where + ": the labels given to the criterion", 0, 0)
    assert_close(got.get("probs"), a["probs"], where + ": probs returned (should be the "
                 "criterion's probabilities)", rtol=0, atol=0)
    if np.ndim(got.get("loss")) != 0:
        raise AssertionError("%s: the loss returned should be one number (the criterion's loss); "
                             "got an array of shape %s" % (where, np.shape(got.get("loss"))))
    assert_close(got.get("loss"), a["loss"], where + ": loss returned (should be the criterion's "
                 "loss)", rtol=0, atol=0)


def check_backward(got, a):
    """The douts each layer's backward received, and the order of the calls."""
    where = "ConvNet.backward() in modules/conv_classifier.py, after forward"
    order = list(got.get("order", []))
    if order[:1] != [-100]:
        raise AssertionError("%s: the criterion's backward() must come first (call order of "
                             "the layers' backward: %s)" % (where, [NAMES[-1 - j] if j > -100
                                                                    else "criterion" for j in order]))
    for i in reversed(range(len(NAMES))):
        given = a["crit_dx"] if i == len(NAMES) - 1 else a["dx%d" % (i + 1)]
        source = "the criterion's dx" if i == len(NAMES) - 1 else "the dx of %s" % NAMES[i + 1]
        if "dout%d" % i not in got:
            raise AssertionError("%s: %s.backward was never called" % (where, NAMES[i]))
        assert_close(got["dout%d" % i], given, "%s: the dout given to %s.backward (should be %s)"
                     % (where, NAMES[i], source), rtol=0, atol=0)


class TestConvNet(GradedCase):
    @graded(3, requires=FILE)
    def test_forward(self):
        """ConvNet.forward: every layer in order, then the loss; returns (probs, loss)"""
        check_net([(3, 3, 8, 8), (3, 4, 8, 8), (3, 4, 8, 8), (3, 4, 4, 4), (3, 5)], 5, seed=0,
                  backward=False)

    @graded(4, requires=FILE)
    def test_backward(self):
        """ConvNet.backward: the loss's gradient back through every layer in reverse"""
        check_net([(3, 3, 8, 8), (3, 4, 8, 8), (3, 4, 8, 8), (3, 4, 4, 4), (3, 5)], 5, seed=1,
                  backward=True)

    @graded(3, visibility=HIDDEN, requires=FILE)
    def test_other_network(self):
        """ConvNet.backward: another batch and layer sizes"""
        check_net([(2, 2, 11, 11), (2, 3, 6, 6), (2, 3, 6, 6), (2, 3, 4, 4), (2, 4)], 4, seed=2,
                  backward=True)
