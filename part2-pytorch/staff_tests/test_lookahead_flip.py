"""This kit's extras for fast training: Lookahead weight averaging (lookahead: k) and
alternating flips (flip: alternate). Checked against hand-computed recurrences, on the
synthetic CIFAR-10 of staff_tests/synthetic.py."""
import contextlib
import io
import unittest

import torch
import torch.nn as nn

import config
import train_utils
from solver import Solver
from staff_tests.synthetic import solver_kwargs, temp_prefix


def quiet_solver(prefix, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return Solver(**dict(solver_kwargs(prefix), **dict(dict(batch_size=32, learning_rate=0.05, epochs=1),
                                                            **kwargs)))


class TestLookahead(unittest.TestCase):
    def test_recurrence_by_hand(self):
        # one weight w, loss (w - 3)^2 / 2, plain SGD lr 0.5: each fast step is w -= 0.5 (w - 3).
        # every=2, total=6, decay_max=0.5: syncs after steps 2, 4, 6 with
        # decay = 0.5 (step/6)^3, slow = decay slow + (1 - decay) fast, then fast = slow.
        model = nn.Linear(1, 1, bias=False)
        with torch.no_grad():
            model.weight.fill_(1.0)
        opt = train_utils.Lookahead(torch.optim.SGD(model.parameters(), lr=0.5), model, every=2,
                                    total_steps=6, decay_max=0.5)
        w = slow = 1.0
        for step in range(1, 7):
            opt.zero_grad()
            ((model.weight - 3) ** 2 / 2).sum().backward()
            opt.step()
            w -= 0.5 * (w - 3)
            if step % 2 == 0:
                decay = 0.5 * (step / 6) ** 3
                slow = decay * slow + (1 - decay) * w
                w = slow
            self.assertAlmostEqual(model.weight.item(), w, places=6, msg="step %d" % step)
        self.assertAlmostEqual(opt.slow[0].item(), slow, places=6)

    def test_last_step_syncs_and_buffers_are_averaged(self):
        # total 3, every 5: only the last step syncs (decay = decay_max), BN statistics included
        model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
        opt = train_utils.Lookahead(torch.optim.SGD(model.parameters(), lr=0.1), model, every=5,
                                    total_steps=3, decay_max=0.25)
        start = {k: v.clone() for k, v in model.state_dict().items()}
        for _ in range(3):
            opt.zero_grad()
            model(torch.randn(8, 2)).pow(2).mean().backward()
            fast_before_sync = {k: v.clone() for k, v in model.state_dict().items()}
            opt.step()
        # the last optimizer step moved the parameters once more before the sync
        for k, v in model.state_dict().items():
            if not v.is_floating_point():
                continue
            if k in ("0.weight", "0.bias", "1.weight", "1.bias"):
                continue  # changed by the last SGD step itself; the sync is checked on buffers
            expected = 0.25 * start[k] + 0.75 * fast_before_sync[k]
            self.assertTrue(torch.allclose(v, expected), k)

    def test_state_round_trip_and_wrong_state(self):
        model = nn.Linear(3, 2)
        opt = train_utils.Lookahead(torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), model, 2, 10)
        for _ in range(3):
            opt.zero_grad()
            model(torch.randn(4, 3)).sum().backward()
            opt.step()
        state = opt.state_dict()
        other = nn.Linear(3, 2)
        copy = train_utils.Lookahead(torch.optim.SGD(other.parameters(), lr=0.1, momentum=0.9), other, 2, 10)
        copy.load_state_dict(state)
        self.assertEqual(copy.steps, 3)
        for a, b in zip(copy.slow, opt.slow):
            self.assertTrue(torch.equal(a, b))
        with self.assertRaisesRegex(ValueError, "not a Lookahead state"):
            copy.load_state_dict(torch.optim.SGD(other.parameters(), lr=0.1).state_dict())

    def test_solver_run_resumes_exactly(self):
        # 2 epochs straight == 1 epoch, then a resumed second epoch (slow weights and steps restored)
        prefix = temp_prefix(self)
        kw = dict(model="TwoLayerNet", lookahead=3, flip="alternate", epochs=2)
        straight = quiet_solver(prefix, run_name="straight", **kw)
        with contextlib.redirect_stdout(io.StringIO()):
            straight.train()
            first = quiet_solver(prefix, run_name="split", **kw)
            first.epochs = 1
            first.train()
            second = quiet_solver(prefix, run_name="split", resume=True, **kw)
            second.train()
        self.assertIsInstance(second.optimizer, train_utils.Lookahead)
        self.assertEqual(second.optimizer.steps, straight.optimizer.steps)
        self.assertEqual(straight.optimizer.steps, 2 * len(straight.train_loader))
        for (k, a), b in zip(straight.model.state_dict().items(), second.model.state_dict().values()):
            self.assertTrue(torch.equal(a, b), k)


class TestAlternatingFlip(unittest.TestCase):
    def test_each_image_is_mirrored_every_other_pass(self):
        prefix = temp_prefix(self)
        s = quiet_solver(prefix, flip="alternate", crop_padding=0, seed=1)
        loader = s.train_loader
        # tell the images apart: image i holds i in pixel (0, 0) of channel 0, 0 elsewhere
        n = len(loader.labels)
        loader.images = torch.zeros(n, 3, 32, 32, dtype=torch.uint8)
        loader.images[:, 0, 0, 0] = torch.arange(n) % 251 + 1
        loader.images[:, 1, 0, 0] = torch.arange(n) // 251
        loader.normalise = lambda x: x  # keep the uint8 pixels
        for p in range(3):
            mirrored = {}
            for x, _ in loader:
                for img in x:
                    left, right = img[0, 0, 0].item(), img[0, 0, 31].item()
                    value = left or right
                    high = img[1, 0, 0].item() or img[1, 0, 31].item()
                    mirrored[(value - 1) + 251 * high] = right != 0
            self.assertEqual(sorted(mirrored), list(range(n)))
            # pass p mirrors image i exactly when i + p is odd
            self.assertEqual(mirrored, {i: (i + p) % 2 == 1 for i in range(n)}, "pass %d" % p)

    def test_random_flip_is_unchanged(self):
        # flip: random draws its coins from the generator as before (same batches as the default)
        prefix = temp_prefix(self)
        a = [x for x, _ in quiet_solver(prefix, seed=4).train_loader]
        b = [x for x, _ in quiet_solver(prefix, seed=4, flip="random").train_loader]
        self.assertTrue(all(torch.equal(u, v) for u, v in zip(a, b)))

    def test_bad_settings(self):
        checks = [({"flip": "sometimes"}, "flip must be one of 'random', 'alternate'"),
                  ({"flip": "alternate", "fast_data": False}, "flip: alternate works with the in-memory batches"),
                  ({"lookahead": -1}, "lookahead must be a whole number of steps >= 0"),
                  ({"lookahead": 2.5}, "lookahead must be a whole number of steps >= 0")]
        for values, message in checks:
            with self.subTest(values=values):
                with self.assertRaisesRegex(config.SolverError, message):
                    config.checked(values)


if __name__ == "__main__":
    unittest.main()
