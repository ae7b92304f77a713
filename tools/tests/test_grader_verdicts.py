"""Verdicts on real students' code (issue 12, item 3): correct variants keep full marks,
each bug costs points once, in the tests of the file that has it.

The cases come from the issue's review of real submissions: files the course gives
complete (SoftmaxCrossEntropy, _BaseOptimizer) are not graded even when changed; a
Conv2D.backward that also updates the weights is caught; a MaxPooling bug costs in
MaxPooling's tests only; FocalLoss written for float32, with a weighted mean, or
without support for weight=None is right; a VanillaCNN with nn.LazyLinear is right; a
course-era solver.py (datasets built with download=True in __init__, printing) is graded
on its method alone; a TwoLayerNet with a 256-way output fails its own tests.
"""
import os
import shutil
import tempfile
import unittest

from tools.tests import test_autograder as H


class TestPart1Verdicts(H.ScoreChecks):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="grade-verdict-")
        self.sub = H.part1_submission(os.path.join(self.tmp, "sub"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def grade_sub(self):
        return H.run_grade(H.zip_folder(self.sub, os.path.join(self.tmp, "sub.zip")), self.tmp,
                           max_seconds=H.QUICK)

    def test_given_files_and_tie_variants_keep_full_marks(self):
        H.append(os.path.join(self.sub, "modules", "softmax_ce.py"), """
SoftmaxCrossEntropy.forward = lambda self, x, y: (_ for _ in ()).throw(RuntimeError("edited"))
""")
        H.append(os.path.join(self.sub, "optimizer", "_base_optimizer.py"), """
_BaseOptimizer.apply_regularization = lambda self, model: None
""")
        # ties: the gradient split equally among the tied maxima of a window
        H.append(os.path.join(self.sub, "modules", "max_pool.py"), """
import numpy as _np
def _split_backward(self, dout):
    x, H_out, W_out = self.cache
    k, s = self.kernel_size, self.stride
    dx = _np.zeros_like(x)
    for i in range(H_out):
        for j in range(W_out):
            win = x[:, :, i * s:i * s + k, j * s:j * s + k]
            mask = win == win.max(axis=(2, 3), keepdims=True)
            share = mask / mask.sum(axis=(2, 3), keepdims=True)
            dx[:, :, i * s:i * s + k, j * s:j * s + k] += share * dout[:, :, i, j][:, :, None, None]
    self.dx = dx
MaxPooling.backward = _split_backward
""")
        self.assert_full(self.grade_sub())

    def test_each_bug_costs_once_in_its_place(self):
        # Conv2D.backward right, but it also takes an SGD step on the layer's own parameters
        H.append(os.path.join(self.sub, "modules", "convolution.py"), """
_backward = Conv2D.backward
def _stepping_backward(self, dout):
    _backward(self, dout)
    self.weight -= 0.1 * self.dw
    self.bias -= 0.1 * self.db
Conv2D.backward = _stepping_backward
""")
        # MaxPooling.backward sends the gradient to the last maximum of the window's rows only
        H.append(os.path.join(self.sub, "modules", "max_pool.py"), """
_pool_backward = MaxPooling.backward
def _half_backward(self, dout):
    _pool_backward(self, dout)
    self.dx[:, :, 1::2, :] = 0
MaxPooling.backward = _half_backward
""")
        r = self.grade_sub()
        self.assert_scores(r, ["Conv2D.backward", "MaxPooling.backward"],
                           "changed the layer's weight", "dx: wrong values",
                           "dx at positions that are not a maximum", "sum of dx")
        out = H.by_name(r)["Conv2D.backward: dx, dw, db with stride 1, padding 1"]["output"]
        self.assertIn("modules/convolution.py", out)
        self.assertIn("changed the layer's weight", out)

    def test_wrong_return_type_is_named(self):
        H.append(os.path.join(self.sub, "modules", "conv_classifier.py"), """
_forward = ConvNet.forward
def _tuple_loss(self, x, y):
    probs, loss = _forward(self, x, y)
    return probs, (loss,)
ConvNet.forward = _tuple_loss
""")
        r = self.grade_sub()
        self.assert_scores(r, ["ConvNet.forward"], "loss returned")  # backward is graded alone
        self.assertIn("modules/conv_classifier.py", H.by_name(r)[
            "ConvNet.forward: every layer in order, then the loss; returns (probs, loss)"]["output"])


FOCAL_FLOAT32 = '''
def _forward(self, input, target):
    # float32-minded: one-hot in float32 and a matmul against float32 ones; a weighted mean;
    # no support for weight=None (the Solver always passes class weights)
    n, c = input.shape
    onehot = F.one_hot(target, c).float()
    log_p = torch.mm(F.log_softmax(input, dim=1) * onehot, torch.ones(c, 1)).squeeze(1)
    w = self.weight[target]
    return (-w * (1 - log_p.exp()) ** self.gamma * log_p).sum() / w.sum()
FocalLoss.forward = _forward
'''

LAZY_VANILLA = '''
class VanillaCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=7, stride=1, padding=0)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.fc1 = nn.LazyLinear(10)

    def forward(self, x):
        return self.fc1(self.pool(self.relu(self.conv1(x))).flatten(1))
'''

COURSE_SOLVER = '''"""A solver.py as the course shipped it (datasets built in __init__, progress printed)."""
import copy
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader

from data import Imbalanced_CIFAR10
from losses import FocalLoss, reweight
from models import MyModel, TwoLayerNet, VanillaCNN, resnet32


class Solver(object):
    def __init__(self, **kwargs):
        self.batch_size = kwargs.pop("batch_size", 128)
        self.device = kwargs.pop("device", "cpu")
        self.lr = kwargs.pop("learning_rate", 0.0001)
        transform = transforms.Compose([transforms.ToTensor()])
        train = torchvision.datasets.CIFAR10(root="./data/cifar10", train=True, download=True,
                                             transform=transform)
        self.train_loader = DataLoader(train, batch_size=self.batch_size, shuffle=True)
        self.model = TwoLayerNet(3072, 256, 10)
        print(self.model)
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.SGD(self.model.parameters(), self.lr, momentum=0.9,
                                         weight_decay=0.0005)

    def _compute_loss_update_params(self, data, target):
        output = None
        loss = None
        if self.model.training:
            output = self.model(data)
            loss = self.criterion(output, target)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
        else:
            with torch.no_grad():
                output = self.model(data)
                loss = self.criterion(output, target)
        return output, loss
'''

WIDE_TWOLAYER = '''
class TwoLayerNet(nn.Module):
    def __init__(self, input_dim, hidden_size, num_classes):
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_size)
        self.fc2 = nn.Linear(hidden_size, hidden_size)   # the bug: num_classes never used

    def forward(self, x):
        return self.fc2(torch.sigmoid(self.fc1(x.flatten(1))))
'''


@unittest.skipIf(H._part2_missing(), H._part2_missing())
class TestPart2Verdicts(H.ScoreChecks):
    def test_variants_right_and_bug_in_place(self):
        with tempfile.TemporaryDirectory(prefix="grade-verdict2-") as tmp:
            sub = H.part2_submission(os.path.join(tmp, "sub"))
            os.remove(os.path.join(sub, "checkpoints", "mymodel.pth"))  # MyModel: minutes to evaluate
            H.append(os.path.join(sub, "losses", "focal_loss.py"), FOCAL_FLOAT32)
            H.append(os.path.join(sub, "models", "cnn.py"), LAZY_VANILLA)
            H.append(os.path.join(sub, "models", "twolayer.py"), WIDE_TWOLAYER)
            with open(os.path.join(sub, "solver.py"), "w") as f:
                f.write(COURSE_SOLVER)
            z = H.zip_folder(sub, os.path.join(tmp, "sub.zip"), rename={"configs": "config"})
            r = H.run_grade(z, tmp, max_seconds=600)
        names = H.by_name(r)
        for name, t in names.items():
            with self.subTest(test=name):
                if name.startswith(("TwoLayerNet:", "checkpoint twolayernet.pth")):
                    self.assertEqual(t["score"], 0, t)
                    self.assertIn("models/twolayer.py" if name.startswith("TwoLayerNet")
                                  else "does not fit the model", t["output"])
                elif name.startswith("checkpoint mymodel.pth"):
                    self.assertEqual(t["score"], 0, t)
                    self.assertIn("your submission has no checkpoints/mymodel.pth", t["output"])
                else:
                    self.assertEqual(t["score"], t["max_score"], t)
        self.assertIn("expected (4, 10)", names["TwoLayerNet: TwoLayerNet(3072, 256, 10)'s output "
                                                "shape and parameter count"]["output"])
        self.assertIn("the specified layers have exactly", names[
            "TwoLayerNet: computes Linear -> Sigmoid -> Linear"]["output"])


if __name__ == "__main__":
    unittest.main()
