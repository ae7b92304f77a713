"""The Solver on a small synthetic CIFAR-10: the course's printed lines, records, schedules,
the fast batches against the course's transforms, the training step, seeding, resume after
a crash, and every bad input."""
import ast
import contextlib
import csv
import io
import math
import os
import re
import unittest
import warnings
from unittest import mock

import numpy as np
import torch
import torch.nn.functional as F
import torchvision.transforms as transforms
import yaml

from staff_tests.synthetic import PART2, solver_kwargs, temp_prefix
import config
import solver as solver_module
import train_utils
from models import TwoLayerNet
from solver import Solver

# small and quick: batches of 32 over 400 synthetic images (13 batches), 100 test images
FAST = dict(batch_size=32, learning_rate=0.05, epochs=1)
NORMALIZE = transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010))


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def without_seconds(rows):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]


def quietly(fn, *args, **kwargs):
    """Call fn, returning (its result, what it printed)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fn(*args, **kwargs)
    return result, out.getvalue()


class SolverTestCase(unittest.TestCase):
    def setUp(self):
        self.prefix = temp_prefix(self)

    def solver(self, prefix=None, **kwargs):
        return quietly(Solver, **dict(FAST, **solver_kwargs(prefix or self.prefix), **kwargs))[0]

    def train(self, s):
        return quietly(s.train)[1]

    def csv_rows(self, run_name):
        return read_csv(os.path.join(self.prefix, "runs", run_name, "metrics.csv"))


class TestOneEpoch(SolverTestCase):
    def test_printed_lines(self):
        s, printed = quietly(Solver, **dict(FAST, **solver_kwargs(self.prefix)))
        self.assertEqual(printed, str(s.model) + "\n")  # the model, at construction
        lines = self.train(s).splitlines()
        number = r"\d+\.\d{3}"
        four = r"\d\.\d{4}"
        train_line = (r"Epoch: \[0\]\[(\d+)/13\]\tTime %s \(%s\)\tLoss %s \(%s\)\tPrec @1 %s \(%s\)\t$"
                      % (number, number, r"\d+\.\d{4}", r"\d+\.\d{4}", four, four))
        # training: batches 0 and 10 of 13; evaluation: batch 0 of 1 (100 test images)
        self.assertEqual([re.match(train_line, l).group(1) for l in lines[:2]], ["0", "10"])
        self.assertRegex(lines[2], r"Epoch: \[0\]\[0/1\]\tTime %s \(%s\)\t$" % (number, number))
        per_class = [r"Accuracy of Class %d: %s$" % (c, four) for c in range(10)]
        for line, pattern in zip(lines[3:13], per_class):
            self.assertRegex(line, pattern)
        self.assertRegex(lines[13], r"\* Prec @1: %s$" % four)
        self.assertEqual(lines[14], "Best Prec @1 Accuracy: %.4f" % s.best)
        self.assertEqual(lines[15:25], lines[3:13])  # the best epoch's classes again
        self.assertEqual(len(lines), 25)

    def test_one_epoch_records_and_checkpoint(self):
        s = self.solver(run_name="one")
        self.train(s)
        path = os.path.join(self.prefix, "runs", "one", "metrics.csv")
        with open(path) as f:
            header = f.readline().strip()
        self.assertEqual(header, "epoch,lr,train_loss,train_acc,test_loss,test_acc,"
                         + ",".join("class_acc_%d" % c for c in range(10)) + ",seconds")
        rows = self.csv_rows("one")
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row["epoch"], "1")
        self.assertAlmostEqual(float(row["lr"]), 0.05)
        for key in ["train_acc", "test_acc"] + ["class_acc_%d" % c for c in range(10)]:
            self.assertTrue(0.0 <= float(row[key]) <= 1.0, key)
        self.assertGreater(float(row["seconds"]), 0.0)
        # 10 test images per class: the overall accuracy is the mean of the per-class ones
        self.assertAlmostEqual(float(row["test_acc"]),
                               sum(float(row["class_acc_%d" % c]) for c in range(10)) / 10, places=5)
        self.assertAlmostEqual(s.best, float(row["test_acc"]), places=5)

        # the checkpoint: a state_dict of CPU tensors; evaluated independently (the course's
        # transforms on the PIL images) it gives the CSV's accuracy
        ckpt = os.path.join(self.prefix, "checkpoints", "twolayernet.pth")
        self.assertEqual(s.checkpoint_path, ckpt)
        state = torch.load(ckpt, weights_only=True)
        self.assertTrue(all(v.device.type == "cpu" for v in state.values()))
        model = TwoLayerNet(3072, 256, 10)
        model.load_state_dict(state)
        from data import CIFAR10
        test = CIFAR10(os.path.join(self.prefix, "data", "cifar10"), train=False,
                       transform=transforms.Compose([transforms.ToTensor(), NORMALIZE]))
        x = torch.stack([test[i][0] for i in range(len(test))])
        with torch.no_grad():
            acc = (model(x).argmax(1) == torch.tensor(test.targets)).float().mean().item()
        self.assertAlmostEqual(acc, float(row["test_acc"]), places=5)
        self.assertTrue(os.path.exists(os.path.join(self.prefix, "runs", "one", "last.pth")))
        # the confusion matrix: 10x10 counts, rows = true class (10 test images each), diagonal = hits
        with open(os.path.join(self.prefix, "runs", "one", "confusion.csv"), newline="") as f:
            confusion = [[int(v) for v in r] for r in csv.reader(f)]
        self.assertEqual([sum(r) for r in confusion], [10] * 10)
        self.assertEqual([confusion[c][c] / 10 for c in range(10)],
                         [float(row["class_acc_%d" % c]) for c in range(10)])
        # best_cm: row-normalised, its diagonal is the per-class accuracy
        torch.testing.assert_close(s.best_cm.sum(1), torch.ones(10))

    def test_no_records_without_run_name(self):
        self.train(self.solver())
        self.assertFalse(os.path.exists(os.path.join(self.prefix, "runs")))

    def test_learns_synthetic_classes(self):
        s = self.solver(epochs=3, learning_rate=0.1)
        self.train(s)
        self.assertGreater(s.best, 0.8)

    def test_vanilla_cnn_amp_channels_last(self):
        s = self.solver(model="VanillaCNN", learning_rate=0.01, amp=True, channels_last=True, run_name="amp")
        self.train(s)
        row = self.csv_rows("amp")[0]
        self.assertTrue(math.isfinite(float(row["train_loss"])))

    def test_course_data_loaders(self):
        # fast_data=False: the course's DataLoaders over the transformed PIL images
        s = self.solver(fast_data=False, epochs=2, learning_rate=0.1)
        self.assertIsInstance(s.train_loader, torch.utils.data.DataLoader)
        self.train(s)
        self.assertGreater(s.best, 0.5)

    def test_focal_on_regular_and_imbalanced_data(self):
        s = self.solver(loss_type="Focal", gamma=2.0)
        torch.testing.assert_close(s.criterion.weight.cpu(), torch.ones(10))  # balanced counts
        self.train(s)
        # 100 synthetic images per class; factor 0.01 -> int(100.0 * 0.01 ** (i / 9))
        prefix = temp_prefix(self, n_train_per_class=100)
        s = self.solver(prefix=prefix, loss_type="Focal", imbalance="imbalance", beta=0.999)
        counts = [100, 59, 35, 21, 12, 7, 4, 2, 1, 1]
        self.assertEqual(torch.bincount(s.train_loader.labels.cpu()).tolist(), counts)
        raw = torch.tensor([(1 - 0.999) / (1 - 0.999 ** n) for n in counts])
        torch.testing.assert_close(s.criterion.weight.cpu(), raw / raw.sum() * 10)
        self.train(s)

    def test_test_every(self):
        s = self.solver(epochs=3, test_every=2, run_name="every")
        self.train(s)
        rows = self.csv_rows("every")
        self.assertEqual([r["test_acc"] == "" for r in rows], [True, False, False])


class TestFastBatches(SolverTestCase):
    def test_test_batches_equal_the_course_transforms(self):
        s = self.solver()
        dataset = s.val_loader.dataset
        expected = torch.stack([dataset[i][0] for i in range(len(dataset))])  # ToTensor + Normalize
        got = torch.cat([x for x, _ in s.val_loader])
        torch.testing.assert_close(got, expected, atol=1e-6, rtol=0)
        self.assertEqual(torch.cat([y for _, y in s.val_loader]).tolist(), list(map(int, dataset.targets)))

    def test_each_training_pass_is_a_permutation(self):
        s = self.solver()
        labels = [torch.cat([y for _, y in s.train_loader]) for _ in range(2)]
        for y in labels:
            self.assertEqual(sorted(y.tolist()), sorted(s.train_loader.labels.tolist()))
        self.assertFalse(torch.equal(labels[0], labels[1]))
        self.assertEqual(len(s.train_loader), 13)

    def test_augmentation_is_crop_and_flip(self):
        for p in (4, 2, 0):  # the default, then crop_padding values
            with self.subTest(crop_padding=p):
                s = self.solver(seed=3, crop_padding=p)
                x = torch.randint(0, 256, (64, 3, 32, 32), dtype=torch.uint8)
                out = s.train_loader.crop_and_flip(x)
                # replay the generator: offsets dy, dx, then the flip coins
                g = torch.Generator().manual_seed(3)
                dy = torch.randint(0, 2 * p + 1, (64,), generator=g)
                dx = torch.randint(0, 2 * p + 1, (64,), generator=g)
                flip = torch.rand(64, generator=g) < 0.5
                padded = torch.zeros(64, 3, 32 + 2 * p, 32 + 2 * p, dtype=torch.uint8)
                padded[:, :, p:p + 32, p:p + 32] = x
                for i in range(64):
                    crop = padded[i, :, dy[i]:dy[i] + 32, dx[i]:dx[i] + 32]
                    self.assertTrue(torch.equal(out[i], crop.flip(2) if flip[i] else crop), i)

    def test_augmentation_distribution(self):
        # a single bright pixel at (0, 0) lands at (4 - dy, 4 - dx): every offset 0..8 occurs
        s = self.solver(seed=0)
        x = torch.zeros(4000, 1, 32, 32, dtype=torch.uint8)
        x[:, 0, 0, 0] = 255
        out = s.train_loader.crop_and_flip(x)
        visible = out.flatten(1).amax(1) == 255
        # the pixel stays visible iff dy <= 4 and dx <= 4: probability 25/81
        self.assertAlmostEqual(visible.float().mean().item(), 25 / 81, delta=0.03)
        cols = out[visible, 0].amax(1).argmax(1)  # column of the pixel (mirrored when flipped)
        self.assertEqual(sorted(set(cols.tolist())), [0, 1, 2, 3, 4, 27, 28, 29, 30, 31])


class TestTrainingStep(SolverTestCase):
    def test_train_step_is_one_sgd_step(self):
        s = self.solver(momentum=0.9, reg=0.01)
        s.model.train()
        x, y = torch.randn(8, 3, 32, 32), torch.randint(0, 10, (8,))
        before = [p.detach().clone() for p in s.model.parameters()]
        # the expected first step, by autograd on a copy: p - lr * (grad + reg * p)
        ref = TwoLayerNet(3072, 256, 10)
        ref.load_state_dict(s.model.state_dict())
        F.cross_entropy(ref(x), y).backward()
        train_utils.set_lr(s.optimizer, 0.05)
        output, loss = s._compute_loss_update_params(x, y)
        self.assertEqual(tuple(output.shape), (8, 10))
        self.assertAlmostEqual(loss.item(), F.cross_entropy(output.detach(), y).item(), places=5)
        for p0, p, r in zip(before, s.model.parameters(), ref.parameters()):
            torch.testing.assert_close(p.detach(), p0 - 0.05 * (r.grad + 0.01 * p0))

    def test_eval_step_changes_nothing(self):
        s = self.solver()
        s.model.eval()
        before = [p.detach().clone() for p in s.model.parameters()]
        output, loss = s._compute_loss_update_params(torch.randn(8, 3, 32, 32), torch.randint(0, 10, (8,)))
        self.assertFalse(output.requires_grad)
        self.assertFalse(loss.requires_grad)
        for p0, p in zip(before, s.model.parameters()):
            self.assertTrue(torch.equal(p0, p))
            self.assertIsNone(p.grad)


class TestSchedules(SolverTestCase):
    def epoch_lrs(self, s):
        lrs = []
        for epoch in range(s.epochs):
            s._adjust_learning_rate(epoch)
            lrs.append(s.optimizer.param_groups[0]["lr"])
        return lrs

    def test_course_schedule(self):
        s = self.solver(learning_rate=1.0, epochs=10, steps=[6, 8])
        for got, expected in zip(self.epoch_lrs(s), [1.0] * 6 + [0.1] * 2 + [0.01] * 2):
            self.assertAlmostEqual(got, expected, places=12)
        # warm-up is per epoch: epoch e (1-based) gets lr * e / warmup
        s = self.solver(learning_rate=1.0, epochs=10, steps=[6, 8], warmup=4)
        for got, expected in zip(self.epoch_lrs(s), [0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 0.1, 0.1, 0.01, 0.01]):
            self.assertAlmostEqual(got, expected, places=12)

    def test_iteration_step_schedule(self):
        s = self.solver(learning_rate=1.0, epochs=10, steps=[6, 8], schedule="step")
        lr = lambda e, i: train_utils.iteration_lr(s, e, i, 10)  # noqa: E731
        for got, expected in zip([lr(e, 0) for e in range(10)], [1.0] * 6 + [0.1] * 2 + [0.01] * 2):
            self.assertAlmostEqual(got, expected, places=12)
        s = self.solver(learning_rate=1.0, epochs=10, steps=[6, 8], schedule="step", lr_decay=0.01)
        for got, expected in zip([lr(e, 0) for e in range(10)], [1.0] * 6 + [0.01] * 2 + [1e-4] * 2):
            self.assertAlmostEqual(got, expected, places=12)
        s = self.solver(learning_rate=1.0, epochs=10, warmup=2, steps=[6, 8], schedule="step")
        self.assertAlmostEqual(lr(0, 0), 1 / 20)
        self.assertAlmostEqual(lr(1, 9), 1.0)
        self.assertAlmostEqual(lr(7, 3), 0.1)

    def test_cosine_and_linear(self):
        s = self.solver(learning_rate=2.0, epochs=10, warmup=0, schedule="cosine")
        lr = lambda e, i: train_utils.iteration_lr(s, e, i, 10)  # noqa: E731
        self.assertAlmostEqual(lr(0, 0), 2.0)
        self.assertAlmostEqual(lr(5, 0), 1.0)   # half way: cos(pi/2) = 0
        self.assertAlmostEqual(lr(7, 5), 2.0 * 0.5 * (1 + math.cos(0.75 * math.pi)))
        s = self.solver(learning_rate=2.0, epochs=10, warmup=2, schedule="linear")
        self.assertAlmostEqual(lr(2, 0), 2.0)
        self.assertAlmostEqual(lr(6, 0), 1.0)   # half of the 8 epochs after warm-up
        self.assertAlmostEqual(lr(9, 9), 2.0 / 80)

    def test_schedule_end_points(self):
        # airbench94's triangle: up from 0.2x over the warm-up, then down to 0.07x
        s = self.solver(learning_rate=2.0, epochs=10, warmup=2, schedule="linear", warmup_from=0.2, decay_to=0.07)
        lr = lambda e, i: train_utils.iteration_lr(s, e, i, 10)  # noqa: E731
        self.assertAlmostEqual(lr(0, 0), 2.0 * (0.2 + 0.8 / 20))    # step 1 of the 20 warm-up steps
        self.assertAlmostEqual(lr(0, 9), 2.0 * (0.2 + 0.8 * 10 / 20))
        self.assertAlmostEqual(lr(1, 9), 2.0)                        # the warm-up's last step
        self.assertAlmostEqual(lr(2, 0), 2.0)
        self.assertAlmostEqual(lr(6, 0), 2.0 * (0.07 + 0.93 * 0.5))  # half of the 80 decay steps
        self.assertAlmostEqual(lr(9, 9), 2.0 * (0.07 + 0.93 / 80))   # the last step, one step above the end
        s = self.solver(learning_rate=1.0, epochs=10, warmup=0, schedule="cosine", decay_to=0.1)
        self.assertAlmostEqual(lr(5, 0), 0.1 + 0.9 * 0.5)
        self.assertAlmostEqual(lr(7, 5), 0.1 + 0.9 * 0.5 * (1 + math.cos(0.75 * math.pi)))

    def test_schedule_end_points_need_a_schedule_that_has_them(self):
        with self.assertRaisesRegex(ValueError, "warmup_from shapes the warm-up of the per-iteration schedules, "
                                                "but schedule is 'course'"):
            self.solver(warmup=2, warmup_from=0.2)
        with self.assertRaisesRegex(ValueError, "warmup 0; write schedule: linear .* and warmup: 1 or more"):
            self.solver(schedule="linear", warmup_from=0.2)
        with self.assertRaisesRegex(ValueError, "decay_to is where a cosine or linear decay ends, but schedule "
                                                "is 'step'"):
            self.solver(schedule="step", decay_to=0.07)
        with self.assertRaisesRegex(ValueError, "decay_to must be a fraction of learning_rate from 0 to 1, got 1.5"):
            self.solver(schedule="linear", decay_to=1.5)

    def test_iteration_schedule_is_applied_per_batch(self):
        s = self.solver(learning_rate=1.0, epochs=1, schedule="linear")
        seen = []
        real = Solver._compute_loss_update_params

        def spy(this, data, target):
            if this.model.training:
                seen.append(this.optimizer.param_groups[0]["lr"])
            return real(this, data, target)

        with mock.patch.object(Solver, "_compute_loss_update_params", spy):
            self.train(s)
        self.assertEqual(len(seen), 13)
        for i, got in enumerate(seen):
            self.assertAlmostEqual(got, 1.0 - i / 13)


class TestSeedAndResume(SolverTestCase):
    def test_same_seed_same_metrics(self):
        for name, seed in (("a", 5), ("b", 5), ("c", 6)):
            self.train(self.solver(epochs=2, seed=seed, run_name=name))
        self.assertEqual(without_seconds(self.csv_rows("a")), without_seconds(self.csv_rows("b")))
        self.assertNotEqual(without_seconds(self.csv_rows("a")), without_seconds(self.csv_rows("c")))

    def test_resume_after_crash_gives_the_same_run(self):
        kwargs = dict(epochs=3, seed=1, steps=[1, 2], warmup=1, schedule="step")
        full = self.solver(run_name="full", **kwargs)
        self.train(full)

        crashing = self.solver(run_name="crash", **kwargs)
        real_step = Solver._train_step

        def crash_in_third_epoch(this, epoch):
            if epoch == 2:
                raise KeyboardInterrupt("simulated crash")
            return real_step(this, epoch)

        with mock.patch.object(Solver, "_train_step", crash_in_third_epoch):
            with self.assertRaises(KeyboardInterrupt):
                self.train(crashing)
        self.assertEqual(len(self.csv_rows("crash")), 2)

        resumed = self.solver(run_name="crash", resume=True, **kwargs)
        self.assertEqual(resumed.start_epoch, 2)
        self.train(resumed)
        self.assertEqual(without_seconds(self.csv_rows("crash")), without_seconds(self.csv_rows("full")))
        for a, b in zip(full.model.state_dict().values(), resumed.model.state_dict().values()):
            self.assertTrue(torch.equal(a, b))
        self.assertEqual(resumed.best, full.best)

    def test_resume_without_state_starts_fresh(self):
        s = self.solver(run_name="fresh", resume=True)
        self.assertEqual(s.start_epoch, 0)
        self.train(s)
        self.assertEqual(len(self.csv_rows("fresh")), 1)


class TestBadInput(SolverTestCase):
    def test_unknown_key_warns_with_the_closest(self):
        with self.assertWarnsRegex(UserWarning, r"unknown key 'learning_rat' \(did you mean 'learning_rate'\?\)"):
            self.solver(learning_rat=0.1)

    def test_bad_choices_list_valid_values(self):
        cases = [("model", "ResNet32", "model must be one of 'TwoLayerNet', 'VanillaCNN', 'MyModel', 'ResNet-32'"),
                 ("loss_type", "focal", "loss_type must be one of 'CE', 'Focal', got 'focal'"),
                 ("imbalance", "long-tailed", "imbalance must be one of 'regular', 'imbalance'"),
                 ("schedule", "poly", "schedule must be one of 'course', 'step', 'cosine', 'linear'")]
        for key, value, message in cases:
            with self.subTest(key=key):
                with self.assertRaises(ValueError) as cm:
                    self.solver(**{key: value})
                self.assertIn(message, str(cm.exception))

    def test_bad_values(self):
        with self.assertRaisesRegex(ValueError, "learning_rate must be a number > 0, got the text 'fast'"):
            self.solver(learning_rate="fast")
        with self.assertRaisesRegex(ValueError, "steps must be two whole epoch numbers"):
            self.solver(steps=[6])
        with self.assertRaisesRegex(ValueError, "label_smoothing works with loss_type 'CE' only"):
            self.solver(loss_type="Focal", label_smoothing=0.1)
        with self.assertRaisesRegex(ValueError, "run_name must be a folder name"):
            self.solver(run_name="../elsewhere")
        with self.assertRaisesRegex(ValueError, "resume=True needs a run_name"):
            self.solver(resume=True)
        with self.assertRaisesRegex(ValueError, "crop_padding must be a whole number of pixels from 0 to 16"):
            self.solver(crop_padding=-1)
        s = self.solver(learning_rate="1e-4")  # YAML reads 1e-4 (no dot) as text
        self.assertEqual(s.lr, 1e-4)

    def test_nan_loss_stops_and_keeps_last_good_checkpoint(self):
        s = self.solver(epochs=2, run_name="nan")
        real = s.criterion

        def criterion(output, target):
            loss = real(output, target)
            return loss * float("nan") if s.nan and s.model.training else loss

        s.nan = False
        s.criterion = criterion
        ckpt = os.path.join(self.prefix, "checkpoints", "twolayernet.pth")
        real_step = Solver._train_step
        saved = {}

        def second_epoch_goes_nan(this, epoch):
            if epoch == 1:
                with open(ckpt, "rb") as f:
                    saved["bytes"] = f.read()
                this.nan = True
            return real_step(this, epoch)

        with mock.patch.object(Solver, "_train_step", second_epoch_goes_nan):
            with self.assertRaisesRegex(FloatingPointError, "the training loss became nan in epoch 1"):
                self.train(s)
        with open(ckpt, "rb") as f:
            self.assertEqual(f.read(), saved["bytes"])
        self.assertEqual(torch.load(os.path.join(self.prefix, "runs", "nan", "last.pth"),
                                    weights_only=False)["epoch"], 1)
        self.assertEqual(len(self.csv_rows("nan")), 1)

    def test_model_without_layers(self):
        class Empty(torch.nn.Module):
            def __init__(self, *args):
                super().__init__()

        with mock.patch.object(solver_module, "TwoLayerNet", Empty):
            with self.assertRaisesRegex(NotImplementedError, "Empty has no parameters: define its layers"):
                self.solver()

    def test_unwritten_training_step(self):
        # the starter's _compute_loss_update_params returns (None, None)
        s = self.solver()
        with mock.patch.object(Solver, "_compute_loss_update_params", lambda this, data, target: (None, None)):
            with self.assertRaisesRegex(NotImplementedError, r"returned \(NoneType, NoneType\); it must return"):
                self.train(s)

    def test_resume_from_another_models_state(self):
        self.train(self.solver(run_name="shared"))
        with self.assertRaisesRegex(ValueError, "saved for model 'TwoLayerNet', but this run trains 'VanillaCNN'"):
            self.solver(run_name="shared", model="VanillaCNN", resume=True)


# the course's four configs, section by section, key by key (ORIGINAL_KIT.md 4e)
TRAIN = {"batch_size": 128, "learning_rate": 0.0001, "reg": 0.0005, "epochs": 10, "steps": [6, 8],
         "warmup": 0, "momentum": 0.9, "gamma": 1}
COURSE_CONFIGS = {
    "config_mymodel.yaml": {"Train": TRAIN, "network": {"model": "MyModel"},
                            "data": {"imbalance": "regular", "save_best": True}, "loss": {"loss_type": "CE"}},
    "config_resnet32.yaml": {"Train": TRAIN, "network": {"model": "ResNet-32", "save_best": True},
                             "data": {"imbalance": "regular", "beta": 0.9999}, "loss": {"loss_type": "CE"}},
    "config_twolayer.yaml": {"Train": dict(TRAIN, learning_rate=0.1), "network": {"model": "TwoLayerNet"},
                             "data": {"imbalance": "regular", "save_best": True}, "loss": {"loss_type": "CE"}},
    "config_vanilla_cnn.yaml": {"Train": TRAIN, "network": {"model": "VanillaCNN", "save_best": True},
                                "data": {"imbalance": "regular", "beta": 0.9999}, "loss": {"loss_type": "CE"}},
}


class TestConfigFiles(SolverTestCase):
    def test_load_config_and_cli(self):
        path = os.path.join(self.prefix, "config_tiny.yaml")
        with open(path, "w") as f:
            f.write("description: a tiny run\nTrain:\n  batch_size: 32\n  learning_rate: 5e-2\n"
                    "  epochs: 1\nnetwork:\n  model: TwoLayerNet\n  save_best: False\n"
                    "data:\n  imbalance: regular\nloss:\n  loss_type: CE\n")
        kwargs = config.load_config(path)
        self.assertEqual(kwargs, {"batch_size": 32, "learning_rate": "5e-2", "epochs": 1, "model": "TwoLayerNet",
                                  "save_best": False, "imbalance": "regular", "loss_type": "CE"})
        sets = ["%s=%s" % kv for kv in solver_kwargs(self.prefix).items()] + ["seed=2"]
        rc, printed = quietly(train_utils.main, Solver, ["--config", path, "--set"] + sets)
        self.assertEqual(rc, 0)
        self.assertIn("\n* Prec @1: ", printed)
        self.assertIn("\nBest Prec @1 Accuracy: ", printed)
        self.assertEqual(len(self.csv_rows("config_tiny")), 1)
        self.assertFalse(os.path.exists(os.path.join(self.prefix, "checkpoints", "twolayernet.pth")))

    def test_course_defaults_are_typed_once(self):
        # solver.py pops the course's keys with the course's defaults (the course's given code);
        # config.py holds them for everything else. Both are the course's (ORIGINAL_KIT.md 4a).
        course = {"path_prefix": ".", "imbalance": "regular", "batch_size": 128, "model": "TwoLayerNet",
                  "device": "cpu", "loss_type": "CE", "learning_rate": 0.0001, "momentum": 0.9, "reg": 0.0005,
                  "beta": 0.9999, "gamma": 1.0, "steps": [6, 8], "epochs": 10, "warmup": 0, "save_best": True}
        with open(solver_module.__file__) as f:
            tree = ast.parse(f.read())
        solver = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Solver")
        init = next(n for n in solver.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
        pops = {c.args[0].value: ast.literal_eval(c.args[1]) for c in ast.walk(init)
                if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "pop"
                and isinstance(c.func.value, ast.Name) and c.func.value.id == "kwargs"}
        self.assertEqual(pops, course)
        self.assertEqual(config.COURSE_DEFAULTS, course)

    def test_settings_fill_in_the_defaults_and_check(self):
        path = os.path.join(self.prefix, "config_settings.yaml")
        with open(path, "w") as f:
            f.write("Train:\n  learning_rate: 5e-2\n  epochs: 3\nloss:\n  loss_type: SigmoidFocal\n"
                    "  loss_module: experiments.sigmoid_focal\n")
        s = config.settings(path)  # reading imports nothing: the loss module is the Solver's to import
        self.assertEqual((s["learning_rate"], s["epochs"], s["batch_size"], s["steps"], s["seed"], s["schedule"]),
                         (0.05, 3, 128, [6, 8], 0, "course"))
        self.assertEqual((s["loss_type"], s["loss_module"]), ("SigmoidFocal", "experiments.sigmoid_focal"))
        with open(path, "w") as f:
            f.write("Train:\n  epochs: 0\n")
        with self.assertRaisesRegex(config.SolverError, "^epochs must be a whole number >= 1, got 0; "):
            config.settings(path)

    def test_course_configs(self):
        folder = os.path.join(PART2, "configs")
        self.assertEqual(sorted(os.listdir(folder)), sorted(COURSE_CONFIGS))
        for name, expected in COURSE_CONFIGS.items():
            with self.subTest(config=name):
                with open(os.path.join(folder, name)) as f:
                    text = f.read()
                raw = yaml.safe_load(text)
                self.assertEqual(raw, expected)
                self.assertEqual(list(raw), ["Train", "network", "data", "loss"])  # the course's order
                self.assertEqual(list(raw["Train"]), list(TRAIN))
                self.assertEqual(len(text.splitlines()), 20 if "beta" in raw["data"] else 19)

    def test_every_config_builds_a_solver(self):
        # course and staff configs, on synthetic data (100 images a class: the long-tailed
        # subset keeps at least one image of every class)
        prefix = temp_prefix(self, n_train_per_class=100)
        paths = [os.path.join(PART2, d, n) for d in ("configs", "experiments/configs")
                 for n in sorted(os.listdir(os.path.join(PART2, d))) if n.endswith(".yaml")]
        self.assertGreaterEqual(len(paths), 17)
        for path in paths:
            with self.subTest(config=os.path.relpath(path, PART2)):
                kwargs = config.load_config(path)
                if "experiments" in path:  # made with the per-iteration schedules (warm-up per batch)
                    self.assertIn(kwargs.get("schedule"), ("step", "cosine", "linear"))
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    self.solver(prefix=prefix, **dict(kwargs, save_best=False))
                self.assertEqual([str(w.message) for w in caught], [])  # no unknown-key warning


class TestMissingData(unittest.TestCase):
    def test_missing_training_data_says_how_to_fix(self):
        tmp = temp_prefix(self)
        with self.assertRaisesRegex(RuntimeError, "pass download=True"):
            quietly(Solver, path_prefix=os.path.join(tmp, "nowhere"), imbalance="imbalance",
                    test_root=os.path.join(tmp, "data", "cifar10"))


class TestChannelsLastGradients(unittest.TestCase):
    """train_utils.channels_last_gradients: the same gradients, in the layout of the outputs."""

    def grads(self, hooked):
        from models import VanillaCNN
        torch.manual_seed(0)
        model = VanillaCNN().to(memory_format=torch.channels_last)
        if hooked:
            train_utils.channels_last_gradients(model)
        seen = []  # the gradient reaching the max-pool's output (after the hooks added above)

        def watch(module, inputs, output):
            output.register_hook(seen.append)  # returns None: the gradient passes on unchanged
        model.pool.register_forward_hook(watch)
        x = torch.randn(4, 3, 32, 32, generator=torch.Generator().manual_seed(1))
        F.cross_entropy(model(x.contiguous(memory_format=torch.channels_last)), torch.arange(4)).backward()
        return [p.grad for p in model.parameters()], seen[0]

    def test_same_values_channels_last_layout(self):
        plain, plain_pool = self.grads(hooked=False)
        hooked, hooked_pool = self.grads(hooked=True)
        # the flatten before the linear layer hands the max-pool an NCHW gradient ...
        self.assertFalse(plain_pool.is_contiguous(memory_format=torch.channels_last))
        # ... which the hook makes channels_last, with the same values
        self.assertTrue(hooked_pool.is_contiguous(memory_format=torch.channels_last))
        torch.testing.assert_close(hooked_pool, plain_pool, rtol=0, atol=0)
        for a, b in zip(hooked, plain):
            torch.testing.assert_close(a, b)

    def test_solver_adds_it_with_channels_last_only(self):
        hooks = lambda s: sum(len(m._forward_hooks) for m in s.model.modules())  # noqa: E731
        with contextlib.redirect_stdout(io.StringIO()):
            tmp = temp_prefix(self)
            fast = Solver(**solver_kwargs(tmp), model="VanillaCNN", channels_last=True)
            plain = Solver(**solver_kwargs(tmp), model="VanillaCNN")
        self.assertEqual(hooks(fast), 4)  # one per leaf module: conv1, relu, pool, fc1
        self.assertEqual(hooks(plain), 0)


if __name__ == "__main__":
    unittest.main()
