"""The Solver on a small synthetic CIFAR-10: one epoch, records, schedule, augmentation,
the training step, seeding, resume after a crash, and every bad input."""
import contextlib
import csv
import io
import os
import unittest
from unittest import mock

import torch
import torch.nn.functional as F

from staff_tests.synthetic import temp_prefix
from experiments.sigmoid_focal import LOSS_TYPE, focal_kwargs
import solver as solver_module
from models import TwoLayerNet
from solver import CSV_COLUMNS, Solver

# small and quick: batches of 32 over 400 synthetic images
FAST = dict(batch_size=32, learning_rate=0.05, epochs=1)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def without_seconds(rows):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]


class SolverTestCase(unittest.TestCase):
    def setUp(self):
        os.environ["TQDM_DISABLE"] = "1"
        self.prefix = temp_prefix(self)

    def solver(self, **kwargs):
        return Solver(**dict(FAST, path_prefix=self.prefix, **kwargs))

    def csv_rows(self, run_name):
        return read_csv(os.path.join(self.prefix, "runs", run_name, "metrics.csv"))


class TestOneEpoch(SolverTestCase):
    def test_one_epoch_records(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):  # graded code prints nothing
            s = self.solver(run_name="one")
            best = s.train()
        self.assertEqual(out.getvalue(), "")
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
        self.assertAlmostEqual(best, float(row["test_acc"]), places=5)

        # the checkpoint is a plain state_dict; evaluated independently it gives the CSV's accuracy
        ckpt = os.path.join(self.prefix, "checkpoints", "twolayernet.pth")
        model = TwoLayerNet(3072, 256, 10)
        model.load_state_dict(torch.load(ckpt, weights_only=True))
        from data import CIFAR10
        test = CIFAR10(os.path.join(self.prefix, "data"), train=False)
        x = torch.tensor(test.data).permute(0, 3, 1, 2).float() / 255
        x = (x - torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)) / torch.tensor(
            [0.2023, 0.1994, 0.2010]).view(1, 3, 1, 1)
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

    def test_learns_synthetic_classes(self):
        s = self.solver(epochs=3, learning_rate=0.1)
        self.assertGreater(s.train(), 0.8)

    def test_vanilla_cnn_amp_channels_last(self):
        s = self.solver(model="VanillaCNN", learning_rate=0.01, amp=True, channels_last=True, run_name="amp")
        s.train()
        row = self.csv_rows("amp")[0]
        self.assertTrue(torch.isfinite(torch.tensor(float(row["train_loss"]))))

    def test_focal_on_regular_and_imbalanced_data(self):
        s = self.solver(loss_type="Focal", gamma=2.0, run_name="focal_regular")
        torch.testing.assert_close(s.criterion.weight.cpu(), torch.ones(10))  # balanced counts
        s.train()
        # 100 synthetic images per class at most; factor 0.01 -> int(100 * 0.01 ** (i / 9))
        prefix = temp_prefix(self, n_train_per_class=100)
        s = Solver(**dict(FAST, path_prefix=prefix, loss_type="Focal", imbalance="imbalance", beta=0.999))
        counts = [100, 59, 35, 21, 12, 7, 4, 2, 1, 1]
        self.assertEqual(s.cls_num_list, counts)
        self.assertEqual(torch.bincount(s.train_y.cpu()).tolist(), counts)
        raw = torch.tensor([(1 - 0.999) / (1 - 0.999 ** n) for n in counts])
        torch.testing.assert_close(s.criterion.weight.cpu(), raw / raw.sum() * 10)
        s.train()

    def test_test_every(self):
        s = self.solver(epochs=3, test_every=2, run_name="every")
        s.train()
        rows = self.csv_rows("every")
        self.assertEqual([r["test_acc"] == "" for r in rows], [True, False, False])


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
        for g in s.optimizer.param_groups:
            g["lr"] = 0.05
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


class TestScheduleAndAugmentation(SolverTestCase):
    def test_step_schedule(self):
        s = self.solver(learning_rate=1.0, epochs=10, steps=[6, 8])
        lrs = [s._learning_rate(e, 0, 10) for e in range(10)]
        for got, expected in zip(lrs, [1.0] * 6 + [0.1] * 2 + [0.01] * 2):
            self.assertAlmostEqual(got, expected, places=12)
        s = self.solver(learning_rate=1.0, epochs=10, steps=[6, 8], lr_decay=0.01)  # Cui et al.'s factors
        for got, expected in zip([s._learning_rate(e, 0, 10) for e in range(10)], [1.0] * 6 + [0.01] * 2 + [1e-4] * 2):
            self.assertAlmostEqual(got, expected, places=12)

    def test_warmup_then_step(self):
        s = self.solver(learning_rate=1.0, epochs=10, warmup=2, steps=[6, 8])
        self.assertAlmostEqual(s._learning_rate(0, 0, 10), 1 / 20)
        self.assertAlmostEqual(s._learning_rate(1, 9, 10), 1.0)
        self.assertAlmostEqual(s._learning_rate(2, 0, 10), 1.0)
        self.assertAlmostEqual(s._learning_rate(7, 3, 10), 0.1)

    def test_cosine_and_linear(self):
        s = self.solver(learning_rate=2.0, epochs=10, warmup=0, schedule="cosine")
        self.assertAlmostEqual(s._learning_rate(0, 0, 10), 2.0)
        self.assertAlmostEqual(s._learning_rate(5, 0, 10), 1.0)   # half way: cos(pi/2) = 0
        self.assertAlmostEqual(s._learning_rate(7, 5, 10), 2.0 * 0.5 * (1 + __import__("math").cos(0.75 * 3.141592653589793)))
        s = self.solver(learning_rate=2.0, epochs=10, warmup=2, schedule="linear")
        self.assertAlmostEqual(s._learning_rate(2, 0, 10), 2.0)
        self.assertAlmostEqual(s._learning_rate(6, 0, 10), 1.0)   # half of the 8 epochs after warm-up
        self.assertAlmostEqual(s._learning_rate(9, 9, 10), 2.0 / 80)

    def test_augmentation_is_crop_and_flip(self):
        for p in (4, 2, 0):  # the default, then crop_padding values
            with self.subTest(crop_padding=p):
                s = self.solver(seed=3, crop_padding=p)
                x = torch.randint(0, 256, (64, 3, 32, 32), dtype=torch.uint8)
                out = s._augment(x)
                # replay the generator: offsets dy, dx, then the flip coins, as _augment draws them
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
        out = s._augment(x)
        visible = out.flatten(1).amax(1) == 255
        # the pixel stays visible iff dy <= 4 and dx <= 4: probability 25/81
        self.assertAlmostEqual(visible.float().mean().item(), 25 / 81, delta=0.03)
        cols = out[visible, 0].amax(1).argmax(1)  # column of the pixel (mirrored when flipped)
        self.assertEqual(sorted(set(cols.tolist())), [0, 1, 2, 3, 4, 27, 28, 29, 30, 31])


class TestSeedAndResume(SolverTestCase):
    def test_same_seed_same_metrics(self):
        self.solver(epochs=2, seed=5, run_name="a").train()
        self.solver(epochs=2, seed=5, run_name="b").train()
        self.solver(epochs=2, seed=6, run_name="c").train()
        self.assertEqual(without_seconds(self.csv_rows("a")), without_seconds(self.csv_rows("b")))
        self.assertNotEqual(without_seconds(self.csv_rows("a")), without_seconds(self.csv_rows("c")))

    def test_resume_after_crash_gives_the_same_run(self):
        kwargs = dict(epochs=3, seed=1, steps=[1, 2], warmup=1)
        full = self.solver(run_name="full", **kwargs)
        full.train()

        crashing = self.solver(run_name="crash", **kwargs)
        real_epoch = Solver._train_epoch

        def crash_in_third_epoch(this, epoch, bar):
            if epoch == 2:
                raise KeyboardInterrupt("simulated crash")
            return real_epoch(this, epoch, bar)

        with mock.patch.object(Solver, "_train_epoch", crash_in_third_epoch):
            with self.assertRaises(KeyboardInterrupt):
                crashing.train()
        self.assertEqual(len(self.csv_rows("crash")), 2)

        resumed = self.solver(run_name="crash", resume=True, **kwargs)
        self.assertEqual(resumed.start_epoch, 0)  # state is read when train() starts
        resumed.train()
        self.assertEqual(resumed.start_epoch, 2)
        self.assertEqual(without_seconds(self.csv_rows("crash")), without_seconds(self.csv_rows("full")))
        for a, b in zip(full.model.state_dict().values(), resumed.model.state_dict().values()):
            self.assertTrue(torch.equal(a, b))
        self.assertEqual(resumed.best, full.best)

    def test_resume_without_state_starts_fresh(self):
        s = self.solver(run_name="fresh", resume=True)
        s.train()
        self.assertEqual(len(self.csv_rows("fresh")), 1)


class TestBadInput(SolverTestCase):
    def test_unknown_key_suggests_closest(self):
        with self.assertRaisesRegex(ValueError, "unknown config key 'learning_rat'; did you mean 'learning_rate'"):
            self.solver(learning_rat=0.1)

    def test_bad_choices_list_valid_values(self):
        cases = [("model", "ResNet32", "model must be one of 'TwoLayerNet', 'VanillaCNN', 'MyModel', 'ResNet-32'"),
                 ("loss_type", "focal", "loss_type must be one of 'CE', 'Focal', got 'focal'"),
                 ("imbalance", "long-tailed", "imbalance must be one of 'regular', 'imbalance'"),
                 ("schedule", "poly", "schedule must be one of 'step', 'cosine', 'linear'")]
        for key, value, message in cases:
            with self.subTest(key=key):
                with self.assertRaises(ValueError) as cm:
                    self.solver(**{key: value})
                self.assertIn(message, str(cm.exception))

    def test_bad_values(self):
        with self.assertRaisesRegex(ValueError, "learning_rate must be a number, got 'fast'"):
            self.solver(learning_rate="fast")
        with self.assertRaisesRegex(ValueError, "steps must be two epochs"):
            self.solver(steps=[6])
        with self.assertRaisesRegex(ValueError, "label_smoothing works with loss_type 'CE' only"):
            self.solver(loss_type="Focal", label_smoothing=0.1)
        with self.assertRaisesRegex(ValueError, "run_name must be a folder name"):
            self.solver(run_name="../elsewhere")
        with self.assertRaisesRegex(ValueError, "crop_padding must be a whole number of pixels from 0 to 16"):
            self.solver(crop_padding=-1)
        s = self.solver(learning_rate="1e-4")  # YAML reads 1e-4 (no dot) as text
        self.assertEqual(s.lr, 1e-4)

    def test_nan_loss_stops_and_keeps_last_good_checkpoint(self):
        s = self.solver(epochs=2, run_name="nan")
        real = s.criterion
        calls = {"n": 0}
        steps_per_epoch = 13  # 400 images in batches of 32

        def criterion(output, target):
            calls["n"] += s.model.training  # count training steps only
            loss = real(output, target)
            if calls["n"] == steps_per_epoch + 3:  # third step of the second epoch
                return loss * float("nan")
            return loss

        s.criterion = criterion
        ckpt = os.path.join(self.prefix, "checkpoints", "twolayernet.pth")
        real_epoch = Solver._train_epoch
        saved = {}

        def remember(this, epoch, bar):
            if epoch == 1:
                with open(ckpt, "rb") as f:
                    saved["bytes"] = f.read()
            return real_epoch(this, epoch, bar)

        with mock.patch.object(Solver, "_train_epoch", remember):
            with self.assertRaisesRegex(FloatingPointError, "became nan at epoch 2, step 3 of 13"):
                s.train()
        with open(ckpt, "rb") as f:
            self.assertEqual(f.read(), saved["bytes"])
        self.assertEqual(torch.load(os.path.join(self.prefix, "runs", "nan", "last.pth"),
                                    weights_only=False)["epoch"], 1)
        self.assertEqual(len(self.csv_rows("nan")), 1)

    def test_model_without_layers(self):
        class Empty(torch.nn.Module):
            def forward(self, x):
                raise NotImplementedError

        with mock.patch.dict(solver_module.MODELS, {"TwoLayerNet": Empty}):
            with self.assertRaisesRegex(NotImplementedError, "Empty has no parameters: define its layers"):
                self.solver()

    def test_resume_from_another_models_state(self):
        self.solver(run_name="shared").train()
        s = self.solver(run_name="shared", model="VanillaCNN", resume=True)
        with self.assertRaisesRegex(ValueError, "saved for model 'TwoLayerNet', but this run trains 'VanillaCNN'"):
            s.train()


class TestLoadCheckpoint(SolverTestCase):
    def test_checkpoint_of_another_model(self):
        from models import VanillaCNN
        path = os.path.join(self.prefix, "vanillacnn.pth")
        torch.save(VanillaCNN().state_dict(), path)
        with self.assertRaisesRegex(ValueError, "holds the weights of VanillaCNN, not of TwoLayerNet"):
            solver_module.load_checkpoint(TwoLayerNet(3072, 256, 10), path)
        model = solver_module.load_checkpoint(VanillaCNN(), path)
        torch.testing.assert_close(model.state_dict(), torch.load(path, weights_only=True))


class TestConfigFiles(SolverTestCase):
    def test_load_config_and_cli(self):
        path = os.path.join(self.prefix, "config_tiny.yaml")
        with open(path, "w") as f:
            f.write("description: a tiny run\nTrain:\n  batch_size: 32\n  learning_rate: 5e-2\n"
                    "  epochs: 1\nnetwork:\n  model: TwoLayerNet\n  save_best: False\n"
                    "data:\n  imbalance: regular\nloss:\n  loss_type: CE\n")
        kwargs = solver_module.load_config(path)
        self.assertEqual(kwargs, {"batch_size": 32, "learning_rate": "5e-2", "epochs": 1, "model": "TwoLayerNet",
                                  "save_best": False, "imbalance": "regular", "loss_type": "CE",
                                  "run_name": "config_tiny"})
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = solver_module.main(["--config", path, "--set", "path_prefix=" + self.prefix, "seed=2"])
        self.assertEqual(rc, 0)
        self.assertIn("config_tiny: best test accuracy", out.getvalue())
        self.assertEqual(len(self.csv_rows("config_tiny")), 1)
        self.assertFalse(os.path.exists(os.path.join(self.prefix, "checkpoints", "twolayernet.pth")))

    def test_repo_configs_are_valid(self):
        from staff_tests.synthetic import PART2
        folder = os.path.join(PART2, "configs")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".yaml"):
                with self.subTest(config=name):
                    kwargs = solver_module.load_config(os.path.join(folder, name))
                    if kwargs.get("loss_type") == LOSS_TYPE:  # trained by experiments/sigmoid_focal.py
                        kwargs = focal_kwargs(kwargs)
                    solver_module.check_config(kwargs)
        graded = {"config_twolayer.yaml": ("TwoLayerNet", 0.1), "config_vanilla_cnn.yaml": ("VanillaCNN", 1e-4)}
        for name, (model, lr) in graded.items():
            cfg = solver_module.check_config(solver_module.load_config(os.path.join(folder, name)))
            self.assertEqual((cfg["model"], cfg["learning_rate"], cfg["epochs"], cfg["batch_size"], cfg["reg"],
                              cfg["steps"], cfg["warmup"], cfg["momentum"]),
                             (model, lr, 10, 128, 5e-4, [6, 8], 0, 0.9))


if __name__ == "__main__":
    unittest.main()
