"""Issue 13 for Part 2: no lost work, and errors that say what to do (RELIABILITY.md).

On the small synthetic CIFAR-10 of synthetic.py. Every test here failed on the code of
commit 46ccd84 (before this work): a worse run replaced the graded checkpoint, a fresh
run overwrote an earlier run's records, bad settings were accepted or ended in raw
TypeErrors, the command line printed tracebacks. Accuracies are checked against an
independent evaluation of the saved weights (the course's transforms, plain PyTorch).
"""
import contextlib
import io
import json
import os
import re
import shutil
import unittest
from unittest import mock

import torch
import torchvision.transforms as transforms

from staff_tests.synthetic import solver_kwargs, temp_prefix
from staff_tests.test_solver import FAST, NORMALIZE, SolverTestCase, quietly
import config
import solver as solver_module
import train_utils
from models import TwoLayerNet
from solver import Solver

GOOD = dict(epochs=3, learning_rate=0.1)     # > 0.8 on the synthetic classes
WORSE = dict(epochs=1, learning_rate=1e-6)   # about chance (0.1)


def accuracy_of(state, prefix):
    """Test accuracy of TwoLayerNet weights on the synthetic test set, computed independently."""
    from data import CIFAR10
    model = TwoLayerNet(3072, 256, 10)
    model.load_state_dict(state)
    test = CIFAR10(os.path.join(prefix, "data", "cifar10"), train=False,
                   transform=transforms.Compose([transforms.ToTensor(), NORMALIZE]))
    x = torch.stack([test[i][0] for i in range(len(test))])
    with torch.no_grad():
        return (model(x).argmax(1) == torch.tensor(test.targets)).float().mean().item()


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def load(path):
    return torch.load(path, weights_only=True)


class KeeperTestCase(SolverTestCase):
    def setUp(self):
        super().setUp()
        self.ckpt = os.path.join(self.prefix, "checkpoints", "twolayernet.pth")
        self.record = os.path.join(self.prefix, "checkpoints", "twolayernet.pth.json")

    def run_solver(self, **kwargs):
        """Build and train; returns (solver, everything printed while training)."""
        s = self.solver(**kwargs)
        return s, self.train(s)


class TestCheckpointIsNeverReplacedByAWorseOne(KeeperTestCase):
    def test_worse_run_under_another_run_name_keeps_the_better_checkpoint(self):
        good, _ = self.run_solver(run_name="long", **GOOD)
        self.assertGreater(good.best, 0.8)
        kept = read_bytes(self.ckpt)
        worse, printed = self.run_solver(run_name="try", **WORSE)
        self.assertLess(worse.best, good.best)
        self.assertEqual(read_bytes(self.ckpt), kept)  # the graded file still holds the better run
        self.assertAlmostEqual(accuracy_of(load(self.ckpt), self.prefix), good.best, places=5)
        beside = os.path.join(self.prefix, "runs", "try", "twolayernet.pth")
        self.assertEqual(worse.saved_path, beside)
        self.assertAlmostEqual(accuracy_of(load(beside), self.prefix), worse.best, places=5)
        self.assertRegex(printed, r"%s is kept: this run's best so far does not beat it \(test accuracy %.4f against "
                         r"%.4f there, trained by run long, saved \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)\. This run's best "
                         r"weights go to %s; to replace the kept ones, copy that file over it, or train with "
                         r"overwrite: true \(--overwrite\)\n" % (re.escape(self.ckpt), worse.best, good.best, re.escape(beside)))
        with open(self.record) as f:
            record = json.load(f)
        self.assertEqual((record["run_name"], record["model"]), ("long", "TwoLayerNet"))
        self.assertAlmostEqual(record["test_accuracy"], good.best, places=6)

    def test_worse_notebook_run_saves_beside_with_the_time(self):
        good, _ = self.run_solver(**GOOD)
        kept = read_bytes(self.ckpt)
        worse, printed = self.run_solver(**WORSE)
        self.assertEqual(read_bytes(self.ckpt), kept)
        beside = worse.saved_path
        self.assertRegex(os.path.basename(beside), r"^twolayernet\.\d{8}-\d{6}\.pth$")
        self.assertEqual(os.path.dirname(beside), os.path.dirname(self.ckpt))
        self.assertAlmostEqual(accuracy_of(load(beside), self.prefix), worse.best, places=5)
        self.assertIn("This run's best weights go to %s" % beside, printed)
        self.assertEqual(printed.count(" is kept: "), 1)

    def test_equally_good_rerun_keeps_the_first(self):
        first, _ = self.run_solver(**GOOD)
        kept = read_bytes(self.ckpt)
        again, printed = self.run_solver(**GOOD)  # same seed: the same accuracy
        self.assertEqual(again.best, first.best)
        self.assertEqual(read_bytes(self.ckpt), kept)
        self.assertIn("is kept", printed)

    def test_better_run_replaces_and_the_record_follows(self):
        worse, _ = self.run_solver(**WORSE)
        good, printed = self.run_solver(run_name="better", **GOOD)
        self.assertEqual(good.saved_path, self.ckpt)
        self.assertAlmostEqual(accuracy_of(load(self.ckpt), self.prefix), good.best, places=5)
        self.assertNotIn("is kept", printed)
        with open(self.record) as f:
            self.assertEqual(json.load(f)["run_name"], "better")

    def test_overwrite_replaces_on_request(self):
        self.run_solver(**GOOD)
        worse, printed = self.run_solver(overwrite=True, **WORSE)
        self.assertEqual(worse.saved_path, self.ckpt)
        self.assertAlmostEqual(accuracy_of(load(self.ckpt), self.prefix), worse.best, places=5)
        self.assertNotIn("is kept", printed)

    def test_checkpoint_without_record_is_measured_first(self):
        # weights trained elsewhere (no record beside them): measured on the test set
        good, _ = self.run_solver(**GOOD)
        os.remove(self.record)
        kept = read_bytes(self.ckpt)
        worse, printed = self.run_solver(**WORSE)
        self.assertEqual(read_bytes(self.ckpt), kept)
        self.assertIn("measured on the test set: it had no record", printed)
        with open(self.record) as f:  # the measurement is recorded for the next run
            self.assertAlmostEqual(json.load(f)["test_accuracy"], accuracy_of(load(self.ckpt), self.prefix),
                                   places=5)
        # a record that does not describe the file (another file was copied over it) is not believed:
        # it claims 0.99, the copied weights are measured (about chance) and a good run replaces them
        with open(self.record) as f:
            record = json.load(f)
        record["test_accuracy"] = 0.99
        with open(self.record, "w") as f:
            json.dump(record, f)
        shutil.copy(worse.saved_path, self.ckpt)
        better, _ = self.run_solver(**GOOD)
        self.assertEqual(better.saved_path, self.ckpt)
        self.assertAlmostEqual(accuracy_of(load(self.ckpt), self.prefix), better.best, places=5)

    def test_damaged_record_is_measured_instead(self):
        self.run_solver(**GOOD)
        kept = read_bytes(self.ckpt)
        for text in ("", "[1, 2]", "{\"test_accuracy\": \"high\"}", "\x00\x01"):
            with self.subTest(record=text):
                with open(self.record, "w") as f:
                    f.write(text)
                self.run_solver(**WORSE)
                self.assertEqual(read_bytes(self.ckpt), kept)

    def test_unloadable_checkpoint_is_moved_aside(self):
        os.makedirs(os.path.dirname(self.ckpt))
        cases = [("another architecture", lambda: torch.save(TwoLayerNet(3072, 100, 10).state_dict(), self.ckpt)),
                 ("damaged", lambda: open(self.ckpt, "wb").write(b"not a checkpoint"))]
        for n, (what, make) in enumerate(cases, start=1):
            with self.subTest(what):
                make()
                old = read_bytes(self.ckpt)
                s, printed = self.run_solver(**WORSE)
                aside = os.path.join(self.prefix, "checkpoints",
                                     "twolayernet.previous.pth" if n == 1 else "twolayernet.previous-2.pth")
                self.assertEqual(read_bytes(aside), old)
                self.assertEqual(s.saved_path, self.ckpt)
                self.assertAlmostEqual(accuracy_of(load(self.ckpt), self.prefix), s.best, places=5)
                self.assertIn("%s could not be loaded into this TwoLayerNet (" % self.ckpt, printed)
                self.assertIn("so it was moved to %s; this run's best weights take its place" % aside, printed)
                os.remove(self.record)

    def test_run_that_overtakes_replaces_and_removes_its_file_beside(self):
        self.run_solver(**WORSE)  # the graded file, then its record says 0.6
        with open(self.record) as f:
            record = json.load(f)
        record["test_accuracy"] = 0.6
        with open(self.record, "w") as f:
            json.dump(record, f)
        real = Solver._evaluate
        scripted = iter([0.3, 0.5, 0.7])  # the run's test accuracies, epoch by epoch

        def evaluate(this, epoch):
            return next(scripted), real(this, epoch)[1]

        beside = os.path.join(self.prefix, "runs", "climb", "twolayernet.pth")
        with mock.patch.object(Solver, "_evaluate", evaluate):
            s = self.solver(run_name="climb", **GOOD)
            printed = self.train(s)
        self.assertEqual(printed.count(" is kept: "), 1)  # said once, at epoch 0
        self.assertIn("(test accuracy 0.3000 against 0.6000 there, trained by a run without run_name, saved ",
                      printed)
        self.assertFalse(os.path.exists(beside))  # superseded by the graded file
        self.assertEqual(s.saved_path, self.ckpt)
        for name, value in load(self.ckpt).items():
            torch.testing.assert_close(value, s.best_model.state_dict()[name], rtol=0, atol=0)
        with open(self.record) as f:
            record = json.load(f)
        self.assertEqual((record["test_accuracy"], record["run_name"]), (0.7, "climb"))

    def test_resumed_run_still_improves_its_own_checkpoint(self):
        kwargs = dict(run_name="crash", epochs=3, learning_rate=0.05, seed=1)
        real_step = Solver._train_step

        def crash_in_third_epoch(this, epoch):
            if epoch == 2:
                raise KeyboardInterrupt("simulated crash")
            return real_step(this, epoch)

        s = self.solver(**kwargs)
        with mock.patch.object(Solver, "_train_step", crash_in_third_epoch):
            with self.assertRaises(KeyboardInterrupt):
                self.train(s)
        resumed, printed = self.run_solver(resume=True, **kwargs)
        self.assertNotIn("is kept", printed)
        if resumed.best_model is not None:  # a new best in the resumed epoch goes to the graded path
            self.assertEqual(resumed.saved_path, self.ckpt)
            self.assertAlmostEqual(accuracy_of(load(self.ckpt), self.prefix), resumed.best, places=5)


class TestStoppedRunKeepsItsBest(KeeperTestCase):
    def nan_in_epoch(self, s, bad_epoch):
        real = Solver._train_step

        def step(this, epoch):
            loss, acc = real(this, epoch)
            return (float("nan"), acc) if epoch == bad_epoch else (loss, acc)

        return mock.patch.object(Solver, "_train_step", step)

    def test_nan_in_a_notebook_run_saves_the_best_epoch(self):
        s = self.solver(**GOOD)
        with self.nan_in_epoch(s, 2):
            with self.assertRaises(FloatingPointError) as cm:
                self.train(s)
        self.assertEqual(s.saved_path, self.ckpt)
        self.assertAlmostEqual(accuracy_of(load(self.ckpt), self.prefix), s.best, places=5)
        self.assertEqual(str(cm.exception),
                         "the training loss became nan in epoch 2 (learning rate 0.1): lower learning_rate or add "
                         "warmup epochs. The best weights so far (test accuracy %.4f) are saved as the run stops"
                         % s.best)

    def test_nan_in_the_first_epoch_names_no_file(self):
        s = self.solver(run_name="nan0", **GOOD)
        with self.nan_in_epoch(s, 0):
            with self.assertRaises(FloatingPointError) as cm:
                self.train(s)
        self.assertEqual(str(cm.exception), "the training loss became nan in epoch 0 (learning rate 0.1): lower "
                         "learning_rate or add warmup epochs. No epoch was evaluated before it, so there are no "
                         "weights to save")
        self.assertFalse(os.path.exists(os.path.join(self.prefix, "runs", "nan0", "last.pth")))
        self.assertFalse(os.path.exists(self.ckpt))

    def test_nan_later_names_the_state_to_resume_from(self):
        s = self.solver(run_name="nan1", **GOOD)
        with self.nan_in_epoch(s, 1):
            with self.assertRaises(FloatingPointError) as cm:
                self.train(s)
        last = os.path.join(self.prefix, "runs", "nan1", "last.pth")
        self.assertIn("The best weights so far (test accuracy %.4f) are saved as the run stops; %s holds the state "
                      "before epoch 1: continue from it with resume (--resume) and a lower learning_rate"
                      % (s.best, last), str(cm.exception))
        self.assertEqual(torch.load(last, weights_only=True)["epoch"], 1)
        self.assertEqual(s.saved_path, self.ckpt)
        s = self.solver(run_name="nan1", save_best=False, **GOOD)
        with self.nan_in_epoch(s, 0):
            with self.assertRaisesRegex(FloatingPointError, r"No weights are saved \(save_best is false\)"):
                self.train(s)

    def test_ctrl_c_in_a_notebook_run_saves_the_best_epoch(self):
        s = self.solver(**GOOD)
        real = Solver._train_step

        def interrupted(this, epoch):
            if epoch == 2:
                raise KeyboardInterrupt
            return real(this, epoch)

        with mock.patch.object(Solver, "_train_step", interrupted):
            with self.assertRaises(KeyboardInterrupt):
                self.train(s)
        self.assertEqual(s.saved_path, self.ckpt)
        self.assertAlmostEqual(accuracy_of(load(self.ckpt), self.prefix), s.best, places=5)

    def test_unwritable_checkpoint_says_where_and_how(self):
        s = self.solver(**WORSE)
        with mock.patch.object(train_utils, "atomic_save", side_effect=OSError(28, "No space left on device")):
            with self.assertRaises(ValueError) as cm:
                self.train(s)
        self.assertEqual(str(cm.exception), "could not save the best weights to %s (No space left on device); free "
                         "some space or make the folder writable (or set checkpoint_dir to another folder), then "
                         "save again: in a notebook, solver._save_best_model()" % self.ckpt)
        s._save_best_model()  # as the message says: the weights were still in memory
        self.assertAlmostEqual(accuracy_of(load(self.ckpt), self.prefix), s.best, places=5)


class TestRunFoldersAreKept(KeeperTestCase):
    def folder(self, *parts):
        return os.path.join(self.prefix, "runs", "same", *parts)

    def test_fresh_run_moves_the_earlier_one_aside(self):
        self.run_solver(run_name="same", epochs=2, save_best=False)
        before = {n: read_bytes(self.folder(n)) for n in ("metrics.csv", "confusion.csv", "last.pth")}
        _, printed = self.run_solver(run_name="same", epochs=1, save_best=False)
        for name, data in before.items():
            self.assertEqual(read_bytes(self.folder("previous", name)), data)
        self.assertEqual(len(self.csv_rows("same")), 1)
        self.assertIn("%s held an earlier run (confusion.csv, last.pth, metrics.csv): moved to %s. To continue a run "
                      "instead, use resume (--resume); to replace it, overwrite: true (--overwrite)"
                      % (self.folder(), self.folder("previous")), printed)
        # once more: previous-2, and the first stays
        self.run_solver(run_name="same", epochs=1, save_best=False)
        self.assertEqual(read_bytes(self.folder("previous", "last.pth")), before["last.pth"])
        self.assertTrue(os.path.exists(self.folder("previous-2", "metrics.csv")))

    def test_a_worse_runs_beside_checkpoint_goes_with_its_folder(self):
        self.run_solver(**GOOD)
        first, _ = self.run_solver(run_name="same", **WORSE)
        kept = read_bytes(self.folder("twolayernet.pth"))
        self.run_solver(run_name="same", **dict(WORSE, learning_rate=2e-6))
        self.assertEqual(read_bytes(self.folder("previous", "twolayernet.pth")), kept)

    def test_overwrite_replaces_the_earlier_run(self):
        self.run_solver(run_name="same", epochs=2, save_best=False)
        self.run_solver(run_name="same", epochs=1, save_best=False, overwrite=True)
        self.assertEqual(len(self.csv_rows("same")), 1)
        self.assertFalse(os.path.exists(self.folder("previous")))

    def test_resume_keeps_the_folder(self):
        self.run_solver(run_name="same", epochs=1, save_best=False)
        self.run_solver(run_name="same", epochs=2, save_best=False, resume=True)
        self.assertEqual(len(self.csv_rows("same")), 2)
        self.assertFalse(os.path.exists(self.folder("previous")))

    def test_resume_without_state_keeps_the_records(self):
        self.run_solver(run_name="same", epochs=1, save_best=False)
        metrics = read_bytes(self.folder("metrics.csv"))
        os.remove(self.folder("last.pth"))
        self.run_solver(run_name="same", epochs=1, save_best=False, resume=True)
        self.assertEqual(read_bytes(self.folder("previous", "metrics.csv")), metrics)

    def test_building_a_solver_touches_nothing(self):
        self.run_solver(run_name="same", epochs=1, save_best=False)
        self.solver(run_name="same")
        self.assertFalse(os.path.exists(self.folder("previous")))


class TestSettingsSayWhatToDo(SolverTestCase):
    """Each bad setting: SolverError (a ValueError) whose one-line message names the key, what
    was expected, what was given, and the fix; raised before any data is loaded."""

    def assertRefused(self, message, **kwargs):
        kwargs = dict(FAST, **dict(solver_kwargs(self.prefix), **kwargs))
        def no_data(*args, **kw):
            raise AssertionError("the data was loaded before the settings were checked")

        with mock.patch.object(solver_module, "CIFAR10", no_data), \
                mock.patch.object(solver_module, "Imbalanced_CIFAR10", no_data):
            with self.assertRaises(config.SolverError) as cm:
                quietly(Solver, **kwargs)
        self.assertIsInstance(cm.exception, ValueError)
        self.assertEqual(str(cm.exception), message)
        self.assertNotIn("\n", message)

    def test_quoted_booleans(self):
        self.assertRefused("save_best must be true or false, got the text 'False' (quoted, so YAML reads it as "
                           "text); write save_best: false, without quotes", save_best="False")
        self.assertRefused("amp must be true or false, got the text 'false' (quoted, so YAML reads it as text); "
                           "write amp: false, without quotes", amp="false")
        self.assertRefused("channels_last must be true or false, got the text 'yes' (quoted, so YAML reads it as "
                           "text); write channels_last: true, without quotes", channels_last="yes")
        self.assertRefused("nesterov must be true or false, got 1; write nesterov: true, without quotes", nesterov=1)
        self.assertRefused("fast_data must be true or false, got null (an empty value); write fast_data: true or "
                           "false, without quotes", fast_data=None)
        self.assertRefused("overwrite must be true or false, got the text 'no' (quoted, so YAML reads it as text); "
                           "write overwrite: false, without quotes", overwrite="no")
        self.assertRefused("resume must be true or false, got the text 'True' (quoted, so YAML reads it as text); "
                           "write resume: true, without quotes", resume="True", run_name="r")

    def test_whole_numbers(self):
        self.assertRefused("batch_size must be a whole number >= 1, got true; write e.g. batch_size: 128",
                           batch_size=True)
        self.assertRefused("batch_size must be a whole number >= 1, got the text 'many'; write e.g. batch_size: 128",
                           batch_size="many")
        self.assertRefused("epochs must be a whole number >= 1, got 2.5; write e.g. epochs: 10", epochs=2.5)
        self.assertRefused("epochs must be a whole number >= 1, got 0; write e.g. epochs: 10", epochs=0)
        self.assertRefused("epochs must be a whole number >= 1, got the list [10]; write e.g. epochs: 10",
                           epochs=[10])
        self.assertRefused("warmup must be a whole number >= 0, got -1; write e.g. warmup: 0", warmup=-1)
        self.assertRefused("test_every must be a whole number >= 1, got 0; write e.g. test_every: 1", test_every=0)
        self.assertRefused("crop_padding must be a whole number of pixels from 0 to 16, got 2.5; write e.g. "
                           "crop_padding: 4", crop_padding=2.5)
        self.assertRefused("seed must be a whole number >= 0, or null (no seeding), got the text 'a'; write e.g. "
                           "seed: 0", seed="a")
        self.assertRefused("seed must be a whole number >= 0, or null (no seeding), got true; write e.g. seed: 0",
                           seed=True)

    def test_numbers(self):
        self.assertRefused("momentum must be a number from 0 to 1 (1 excluded), got the list [0.9]; write e.g. "
                           "momentum: 0.9", momentum=[0.9])
        self.assertRefused("reg must be a number >= 0, got null (an empty value); write e.g. reg: 0.0005", reg=None)
        self.assertRefused("learning_rate must be a number > 0, got -0.1; write e.g. learning_rate: 0.0001",
                           learning_rate=-0.1)
        self.assertRefused("learning_rate must be a number > 0, got nan; write e.g. learning_rate: 0.0001",
                           learning_rate=float("nan"))
        self.assertRefused("learning_rate must be a number > 0, got the text 'inf'; write e.g. learning_rate: 0.0001",
                           learning_rate="inf")
        self.assertRefused("beta must be a number from 0 to 1 (1 excluded), got 1.0; write e.g. beta: 0.9999",
                           beta=1.0)
        self.assertRefused("gamma must be a number >= 0, got -1; write e.g. gamma: 1.0", gamma=-1)
        self.assertRefused("label_smoothing must be a number from 0 to 1 (1 excluded), got 1.5; write e.g. "
                           "label_smoothing: 0.0", label_smoothing=1.5)
        self.assertRefused("lr_decay must be a number > 0, got 0; write e.g. lr_decay: 0.1", lr_decay=0)

    def test_numbers_written_as_text_are_read(self):
        # YAML reads 1e-4 (no dot) as text, and --set may give text: numbers in text are converted
        s = self.solver(learning_rate="1e-2", test_every="2", crop_padding="4", label_smoothing="0.1",
                        batch_size="32", steps=["1", 2.0])
        self.assertEqual((s.lr, s.extras["test_every"], s.extras["crop_padding"], s.batch_size, s.steps),
                         (0.01, 2, 4, 32, [1, 2]))
        self.assertEqual(s.extras["label_smoothing"], 0.1)

    def test_steps(self):
        for steps in ([6, "x"], [6], "6, 8", None, [8, 6], [6.5, 8], [-1, 8], [6, [8]]):
            with self.subTest(steps=steps):
                with self.assertRaises(config.SolverError) as cm:
                    self.solver(steps=steps)
                self.assertRegex(str(cm.exception), r"^steps must be two whole epoch numbers \[first, second\] with "
                                 r"first <= second, got .+; write e.g. steps: \[6, 8\]$")
        with self.assertRaisesRegex(ValueError, r"got the list \[6, 'x'\]; write"):
            self.solver(steps=[6, "x"])

    def test_choices_suggest_the_closest(self):
        self.assertRefused("model must be one of 'TwoLayerNet', 'VanillaCNN', 'MyModel', 'ResNet-32', got 'resnet-32';"
                           " write model: ResNet-32", model="resnet-32")
        self.assertRefused("loss_type must be one of 'CE', 'Focal', got 'focal'; write loss_type: Focal",
                           loss_type="focal")
        self.assertRefused("imbalance must be one of 'regular', 'imbalance', got ['regular']; write "
                           "imbalance: regular", imbalance=["regular"])
        self.assertRefused("schedule must be one of 'course', 'step', 'cosine', 'linear', got 'cosin'; write "
                           "schedule: cosine", schedule="cosin")

    def test_device_is_checked_before_the_data(self):
        with mock.patch("torch.cuda.is_available", return_value=False):
            self.assertRefused("device 'cuda' needs an NVIDIA GPU, but PyTorch finds none on this machine "
                               "(torch.cuda.is_available() is False); use --device cpu (config: device: cpu), or on "
                               "Colab choose a GPU runtime (Runtime > Change runtime type)", device="cuda")
        with mock.patch("torch.cuda.is_available", return_value=True), \
                mock.patch("torch.cuda.device_count", return_value=1):
            self.assertRefused("device 'cuda:3': this machine has 1 CUDA GPU(s), numbered from 0; write e.g. "
                               "device: cuda:0", device="cuda:3")
        with mock.patch("torch.backends.mps.is_available", return_value=False):
            self.assertRefused("device 'mps' needs an Apple-silicon Mac with PyTorch's MPS support, which this "
                               "machine lacks (torch.backends.mps.is_available() is False); use --device cpu",
                               device="mps")
        devices = "'cpu', 'cuda' (or 'cuda:0', 'cuda:1', ...) or 'mps'"
        self.assertRefused("device must be %s, got 'gpu'; write e.g. device: cpu (or --device cpu)" % devices,
                           device="gpu")
        self.assertRefused("device must be %s, got 0; write e.g. device: cpu" % devices, device=0)
        self.assertRefused("device must be %s, got 'meta'; write e.g. device: cpu" % devices, device="meta")

    def test_folders_and_names(self):
        self.assertRefused("path_prefix must be a folder path, got null (an empty value); write e.g. path_prefix: .",
                           path_prefix=None)
        a_file = os.path.join(self.prefix, "a_file")
        open(a_file, "w").close()
        self.assertRefused("checkpoint_dir is %s, a file, not a folder; give a folder (or remove the file)" % a_file,
                           checkpoint_dir=a_file)
        self.assertRefused("run_name must be a folder name (text without '/'), got 3; write e.g. run_name: my_run",
                           run_name=3)

    def test_keys_that_go_together(self):
        self.assertRefused("nesterov: true needs momentum > 0, got momentum 0; write e.g. momentum: 0.9, or "
                           "nesterov: false", nesterov=True, momentum=0)
        self.assertRefused("label_smoothing works with loss_type 'CE' only, got loss_type 'Focal'; remove "
                           "label_smoothing or write loss_type: CE", loss_type="Focal", label_smoothing=0.1)


class TestConfigFileErrors(unittest.TestCase):
    def setUp(self):
        self.dir = temp_prefix(self)

    def write(self, text, name="config_x.yaml", mode="w"):
        path = os.path.join(self.dir, name)
        with open(path, mode) as f:
            f.write(text)
        return path

    def refused(self, path):
        with self.assertRaises(config.SolverError) as cm:
            config.load_config(path)
        self.assertNotIn("\n", str(cm.exception))
        return str(cm.exception)

    def test_top_level_list(self):
        path = self.write("- Train:\n    epochs: 1\n- network:\n    model: MyModel\n")
        self.assertEqual(self.refused(path), "%s must hold sections (Train:, network:, data:, loss:) of `key: value` "
                         "lines, as configs/config_twolayer.yaml does, but its top level is a list (lines starting "
                         "with '- '); write it like that file" % path)

    def test_top_level_text_and_empty_file(self):
        self.assertIn("but its top level is the text 'epochs=3'", self.refused(self.write("epochs=3\n")))
        path = self.write("# nothing yet\n")
        self.assertEqual(self.refused(path), "%s is empty; a config holds sections (Train:, network:, data:, loss:) "
                         "of `key: value` lines, as configs/config_twolayer.yaml does" % path)

    def test_key_outside_a_section(self):
        path = self.write("epochs: 3\nTrain:\n  batch_size: 32\n")
        self.assertEqual(self.refused(path), "%s: the top-level key 'epochs' holds 3, not a section of `key: value` "
                         "lines; indent it under a section such as Train:" % path)

    def test_invalid_yaml_names_the_line(self):
        path = self.write("Train:\n  epochs: 1\n batch_size: 3\n")
        message = self.refused(path)
        self.assertRegex(message, r"^%s is not valid YAML \(line 3, column \d+: .+\); fix that line: sections "
                         r"\(Train:, network:, \.\.\.\) hold `key: value` lines indented by two spaces$"
                         % path.replace(".", r"\."))

    def test_missing_folder_binary(self):
        missing = os.path.join(self.dir, "nowhere.yaml")
        self.assertIn("config file %s not found" % missing, self.refused(missing))
        self.assertEqual(self.refused(self.dir), "%s is a folder; give a config file such as "
                         "configs/config_twolayer.yaml" % self.dir)
        path = self.write(b"\xff\xfe\x00binary", name="weights.pth", mode="wb")
        self.assertRegex(self.refused(path), r"^%s is not (a text file|valid YAML)" % path.replace(".", r"\."))

    def test_empty_section_and_description_are_skipped(self):
        path = self.write("description: tiny\nTrain:\n  epochs: 1\nloss:\n")
        self.assertEqual(config.load_config(path), {"epochs": 1})


class TestCommandLine(SolverTestCase):
    """python -m solver: a user's error is one line on stderr, status 1, no traceback."""

    def config(self, text="Train:\n  batch_size: 32\n  learning_rate: 0.05\n  epochs: 1\nnetwork:\n"
                          "  model: TwoLayerNet\n", name="config_cli.yaml"):
        path = os.path.join(self.prefix, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def cli(self, *argv, sets=()):
        sets = ["%s=%s" % kv for kv in solver_kwargs(self.prefix).items()] + list(sets)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = train_utils.main(Solver, list(argv) + ["--set"] + sets)
        return rc, out.getvalue(), err.getvalue()

    def assertOneLineError(self, result, message):
        rc, out, err = result
        self.assertEqual(rc, 1)
        self.assertNotIn("Traceback", out + err)
        self.assertEqual(err.splitlines()[-1], "error: " + message)

    def test_bad_value_in_the_config(self):
        path = self.config("Train:\n  epochs: 1\nnetwork:\n  model: ResNet32\n")
        self.assertOneLineError(self.cli("--config", path), "model must be one of 'TwoLayerNet', 'VanillaCNN', "
                                "'MyModel', 'ResNet-32', got 'ResNet32'; write model: ResNet-32")

    def test_unknown_key_is_one_warning_line(self):
        rc, out, err = self.cli("--config", self.config(), sets=["learning_rat=0.1", "epochs=0"])
        self.assertEqual(err.splitlines(), [
            "warning: Solver ignores the unknown key 'learning_rat' (did you mean 'learning_rate'?)",
            "error: epochs must be a whole number >= 1, got 0; write e.g. epochs: 10"])

    def test_config_file_errors(self):
        missing = os.path.join(self.prefix, "config_typo.yaml")
        rc, out, err = self.cli("--config", missing)
        self.assertEqual(rc, 1)
        self.assertTrue(err.startswith("error: config file %s not found" % missing), err)
        self.assertNotIn("Traceback", err)
        path = self.config("- Train:\n    epochs: 1\n")
        self.assertOneLineError(self.cli("--config", path), "%s must hold sections (Train:, network:, data:, "
                                "loss:) of `key: value` lines, as configs/config_twolayer.yaml does, but its top "
                                "level is a list (lines starting with '- '); write it like that file" % path)

    def test_device_without_cuda_fails_before_the_data(self):
        with mock.patch("torch.cuda.is_available", return_value=False), \
                mock.patch.object(solver_module, "CIFAR10", side_effect=AssertionError("data loaded")):
            result = self.cli("--config", self.config(), "--device", "cuda")
        self.assertOneLineError(result, "device 'cuda' needs an NVIDIA GPU, but PyTorch finds none on this machine "
                                "(torch.cuda.is_available() is False); use --device cpu (config: device: cpu), or "
                                "on Colab choose a GPU runtime (Runtime > Change runtime type)")

    def test_set_with_invalid_yaml(self):
        rc, out, err = self.cli("--config", self.config(), sets=["steps=[6,"])
        self.assertEqual(rc, 1)
        self.assertRegex(err, r"^error: --set steps=\[6,: the value is not valid YAML \(.+\); write e\.g\. "
                         r"--set steps=\[6,8\]\n$")

    def test_corrupt_last_pth(self):
        path = self.config()
        self.assertEqual(self.cli("--config", path)[0], 0)
        last = os.path.join(self.prefix, "runs", "config_cli", "last.pth")
        data = read_bytes(last)
        with open(last, "wb") as f:
            f.write(data[:len(data) // 2])
        rc, out, err = self.cli("--config", path, "--resume")
        self.assertEqual(rc, 1)
        self.assertNotIn("Traceback", err)
        self.assertRegex(err, r"^error: cannot resume: %s cannot be read \(.+\), so it is damaged or not a state "
                         r"the Solver saved\. Fix: start this run over with resume: false \(without --resume; its "
                         r"files are then kept in %s/\), or use another run_name\n$"
                         % (last.replace(".", r"\."), os.path.join(self.prefix, "runs", "config_cli", "previous")))

    def test_nan_stop_is_one_line(self):
        with mock.patch.object(Solver, "_train_step", lambda this, epoch: (float("nan"), 0.0)):
            self.assertOneLineError(self.cli("--config", self.config()), "the training loss became nan in epoch 0 "
                                    "(learning rate 0.05): lower learning_rate or add warmup epochs. No epoch was "
                                    "evaluated before it, so there are no weights to save")

    def test_missing_data(self):
        empty = os.path.join(self.prefix, "empty")
        os.makedirs(empty)
        rc, out, err = self.cli("--config", self.config(), sets=["path_prefix=" + empty, "imbalance=imbalance"])
        self.assertEqual(rc, 1)
        self.assertNotIn("Traceback", err)
        self.assertRegex(err, r"^error: CIFAR-10 was not found .* Fix: pass download=True")

    def test_ctrl_c_says_how_to_continue(self):
        path = self.config("Train:\n  batch_size: 32\n  learning_rate: 0.05\n  epochs: 3\n")
        real = Solver._train_step

        def interrupted(this, epoch):
            if epoch == 1:
                raise KeyboardInterrupt
            return real(this, epoch)

        with mock.patch.object(Solver, "_train_step", interrupted):
            rc, out, err = self.cli("--config", path)
        self.assertEqual(rc, 130)
        self.assertEqual(err, "\nstopped (Ctrl-C); continue with: python -m solver --config %s --resume\n" % path)

    def test_debug_shows_the_traceback_and_bugs_keep_theirs(self):
        path = self.config("Train:\n  epochs: 0\n")
        with self.assertRaises(config.SolverError):
            self.cli("--config", path, "--debug")
        with mock.patch.object(Solver, "_evaluate", side_effect=ZeroDivisionError("a bug")):
            with self.assertRaises(ZeroDivisionError):
                self.cli("--config", self.config())

    def test_overwrite_flag(self):
        path = self.config("Train:\n  batch_size: 32\n  learning_rate: 0.1\n  epochs: 3\n")
        self.assertEqual(self.cli("--config", path)[0], 0)
        ckpt = os.path.join(self.prefix, "checkpoints", "twolayernet.pth")
        good = read_bytes(ckpt)
        rc, out, err = self.cli("--config", path, sets=["learning_rate=1e-6", "epochs=1"])
        self.assertEqual(read_bytes(ckpt), good)
        self.assertIn("best weights: %s" % os.path.join(self.prefix, "runs", "config_cli", "twolayernet.pth"), out)
        rc, out, err = self.cli("--config", path, "--overwrite", sets=["learning_rate=1e-6", "epochs=1"])
        self.assertNotEqual(read_bytes(ckpt), good)
        self.assertIn("best weights: %s" % ckpt, out)


class TestResumeErrors(SolverTestCase):
    def last(self):
        return os.path.join(self.prefix, "runs", "r", "last.pth")

    def resume_refused(self):
        with self.assertRaises(config.SolverError) as cm:
            self.solver(run_name="r", resume=True)
        self.assertNotIn("\n", str(cm.exception))
        return str(cm.exception)

    def fix(self):
        return ("Fix: start this run over with resume: false (without --resume; its files are then kept in %s/), "
                "or use another run_name" % os.path.join(self.prefix, "runs", "r", "previous"))

    def test_unreadable_states(self):
        self.train(self.solver(run_name="r"))
        good = read_bytes(self.last())
        for what, data in (("truncated", good[:len(good) // 2]), ("empty", b""), ("text", b"hello\n")):
            with self.subTest(what):
                with open(self.last(), "wb") as f:
                    f.write(data)
                message = self.resume_refused()
                self.assertTrue(message.startswith("cannot resume: %s cannot be read (" % self.last()), message)
                self.assertTrue(message.endswith("), so it is damaged or not a state the Solver saved. " + self.fix()))

    def test_a_torch_file_that_is_not_a_state(self):
        os.makedirs(os.path.dirname(self.last()))
        torch.save({"weights": torch.zeros(2)}, self.last())
        self.assertEqual(self.resume_refused(), "cannot resume: %s is not a run state saved by the Solver (it has no "
                         "'model_name'). %s" % (self.last(), self.fix()))

    def test_a_state_for_other_layers(self):
        self.train(self.solver(run_name="r"))
        state = torch.load(self.last(), weights_only=True)
        state["model"] = TwoLayerNet(3072, 100, 10).state_dict()
        torch.save(state, self.last())
        message = self.resume_refused()
        self.assertTrue(message.startswith("cannot resume: %s does not fit this TwoLayerNet (" % self.last()), message)
        self.assertTrue(message.endswith("); its layers or settings changed since it was saved. " + self.fix()))

    def test_starting_over_keeps_the_damaged_state(self):
        self.train(self.solver(run_name="r"))
        with open(self.last(), "wb") as f:
            f.write(b"damaged")
        self.train(self.solver(run_name="r"))  # what the message suggests
        self.assertEqual(read_bytes(os.path.join(self.prefix, "runs", "r", "previous", "last.pth")), b"damaged")


if __name__ == "__main__":
    unittest.main()
