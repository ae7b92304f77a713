"""checkpoint_eval.py, the staff's evaluator: the course's constants, the test set it reads,
the counts it returns, the checkpoints it accepts.

That it agrees with the grader's own evaluator on the committed checkpoints (and reads
the same images bit for bit) is checked in tools/tests/test_checkpoint_eval.py.
"""
import ast
import contextlib
import io
import os
import re
import tempfile
import unittest

import torch
import torch.nn as nn

from staff_tests.synthetic import PART2
import checkpoint_eval
from models import TwoLayerNet

DATA = os.path.join(PART2, "data", "cifar-10-batches-py")


def normalize_literals(path):
    """Every transforms.Normalize((mean...), (std...)) written in the file at `path`."""
    with open(path) as f:
        text = f.read()
    return [tuple(ast.literal_eval(m)) for m in re.findall(r"Normalize\((\(.*?\), \(.*?\))\)", text)]


class TestConstants(unittest.TestCase):
    def test_the_courses_normalisation(self):
        # the course's given code types the constants; staff code reads train_utils'
        expected = (checkpoint_eval.MEAN, checkpoint_eval.STD)
        for rel in ("solver.py", "tests/test_twolayer.py", "tests/test_vanilla_cnn.py", "tests/test_mymodel.py"):
            with self.subTest(file=rel):
                found = normalize_literals(os.path.join(PART2, rel))
                self.assertTrue(found)
                self.assertEqual(set(found), {expected})
        self.assertEqual(expected, ((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)))


class ConstantClass(nn.Module):
    """Scores that always favour class `c`, whatever the image."""

    def __init__(self, c):
        super().__init__()
        self.c = c

    def forward(self, x):
        out = torch.zeros(len(x), 10)
        out[:, self.c] = 1.0
        return out


@unittest.skipUnless(os.path.isdir(DATA), "no CIFAR-10 at %s: run `make data` first" % DATA)
class TestOnTheTestSet(unittest.TestCase):
    def test_test_set(self):
        x, y = checkpoint_eval.load_test_set()
        self.assertEqual((tuple(x.shape), x.dtype), ((10000, 3, 32, 32), torch.float32))
        self.assertEqual((tuple(y.shape), y.dtype), ((10000,), torch.int64))
        self.assertEqual(torch.bincount(y).tolist(), [1000] * 10)
        self.assertEqual(y[0].item(), 3)  # the first test image is a cat
        # undo the normalisation: pixels are k/255 in [0, 1]
        mean = torch.tensor(checkpoint_eval.MEAN).view(1, 3, 1, 1)
        std = torch.tensor(checkpoint_eval.STD).view(1, 3, 1, 1)
        raw = (x[:200] * std + mean) * 255
        self.assertLess((raw - raw.round()).abs().max().item(), 1e-3)
        self.assertGreaterEqual(raw.min().item(), -1e-3)
        self.assertLessEqual(raw.max().item(), 255 + 1e-3)

    def test_counts(self):
        # always class 4: right on exactly the 1000 images of class 4
        for batch_size in (500, 3000):
            r = checkpoint_eval.evaluate(ConstantClass(4), batch_size=batch_size)
            self.assertEqual((r.correct, r.total), (1000, 10000))
            self.assertEqual(r.class_correct, [0, 0, 0, 0, 1000, 0, 0, 0, 0, 0])
            self.assertEqual(r.class_total, [1000] * 10)
            self.assertEqual(r.accuracy, 0.1)

    def test_eval_mode(self):
        model = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(3072, 10))
        model.train()
        checkpoint_eval.evaluate(model)
        self.assertFalse(model.training)


class TestCheckpoints(unittest.TestCase):
    def test_model_from_file_name(self):
        self.assertEqual(checkpoint_eval.model_name("x/mymodel.pth"), "MyModel")
        self.assertEqual(checkpoint_eval.model_name("resnet-32.pth"), "ResNet-32")
        self.assertEqual(checkpoint_eval.checkpoint_path("VanillaCNN", "ck"), os.path.join("ck", "vanillacnn.pth"))
        with self.assertRaisesRegex(ValueError, "cannot tell the model of best.pth"):
            checkpoint_eval.model_name("best.pth")
        with self.assertRaisesRegex(ValueError, "unknown model 'LeNet'"):
            checkpoint_eval.build_model("LeNet")

    def test_built_as_the_solver_builds_it(self):
        # build_model is the staff's one map from a name to a model (the evaluator and bench.py use
        # it); solver.py's if/elif is the course's own: both must build the same layers
        from solver import Solver
        from staff_tests.synthetic import solver_kwargs, temp_prefix
        prefix = temp_prefix(self)
        for name in checkpoint_eval.NAMES:
            with self.subTest(model=name), contextlib.redirect_stdout(io.StringIO()):
                solver = Solver(model=name, **solver_kwargs(prefix))
                self.assertEqual(str(checkpoint_eval.build_model(name)), str(solver.model))

    def test_load_model(self):
        with tempfile.TemporaryDirectory() as tmp:
            saved = TwoLayerNet(3072, 256, 10)
            path = os.path.join(tmp, "twolayernet.pth")
            torch.save(saved.state_dict(), path)
            model = checkpoint_eval.load_model(path)
            self.assertIsInstance(model, TwoLayerNet)
            self.assertFalse(model.training)
            for (k, a), (_, b) in zip(saved.state_dict().items(), model.state_dict().items()):
                self.assertTrue(torch.equal(a, b), k)

    def test_weights_only(self):
        # a checkpoint that would run code when unpickled is refused
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "twolayernet.pth")
            torch.save({"weights": ConstantClass(1)}, path)
            with self.assertRaises(Exception) as ctx:
                checkpoint_eval.load_model(path)
            self.assertIn("weights_only", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
