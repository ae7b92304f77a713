"""This kit's extras beside solver.py (the course's Solver stays readable; the speed lives here).

    python -m solver --config configs/config_twolayer.yaml [--device cuda] [--resume] [--set epochs=2]

What is here, and which optional Solver keyword (config key) turns it on:

- InMemoryLoader (fast_data=True, the default): the whole training set stays in memory as
  one uint8 tensor (on the Solver's device) and each batch is augmented with a few tensor
  operations: random crop with zero padding `crop_padding` (4 = RandomCrop(32, padding=4))
  and a horizontal flip with probability 1/2, then the course's Normalize. Same
  distribution as the course's DataLoader with torchvision transforms, but no PIL
  decoding and no worker processes, so a laptop CPU spends its time on the model.
  fast_data=False uses the course's DataLoaders instead.
- seed=0: seeds the model's initialisation, the shuffling and the augmentation, so the
  same config gives the same run. None: no seeding (the course's behaviour).
- amp=False: mixed precision, bfloat16 autocast on CPU and CUDA (no loss scaling
  needed, so the student's plain training step works unchanged under it);
  channels_last=False: NHWC memory layout (faster convolutions on CPU).
- label_smoothing=0.0 (loss_type CE) and nesterov=False: passed to PyTorch.
- schedule="course": the course's per-epoch rule (Solver._adjust_learning_rate). Per
  iteration instead: "step" (linear warm-up over `warmup` epochs, then x lr_decay
  after epoch steps[0] and x lr_decay**2 after steps[1]), "cosine" and "linear"
  (decay to 0 after the warm-up).
- test_every=1: evaluate every n epochs (always after the last one).
- run_name=None: with a name (the command line uses the config file's name), every
  epoch appends a row to runs/<run_name>/metrics.csv, writes the evaluation's confusion
  matrix (counts) to runs/<run_name>/confusion.csv and the state needed to continue to
  runs/<run_name>/last.pth; resume=True continues from that state.
- checkpoint_dir=None: where the best weights go (default: checkpoints/ beside
  solver.py, the course's place); test_root=None: folder of the test set (default
  "./data", the course's, relative to the working directory).
"""
import argparse
import csv
import difflib
import math
import os
import sys
import warnings
from contextlib import nullcontext

import numpy as np
import torch
import torch.nn.functional as F

MEAN = (0.4914, 0.4822, 0.4465)  # the course's Normalize constants
STD = (0.2023, 0.1994, 0.2010)
NUM_CLASSES = 10

EXTRA_DEFAULTS = {
    "seed": 0, "fast_data": True, "amp": False, "channels_last": False,
    "label_smoothing": 0.0, "nesterov": False, "schedule": "course", "lr_decay": 0.1,
    "crop_padding": 4, "test_every": 1, "run_name": None, "resume": False,
    "checkpoint_dir": None, "test_root": None,
}
COURSE_KEYS = ("path_prefix", "imbalance", "batch_size", "model", "device", "loss_type",
               "learning_rate", "momentum", "reg", "beta", "gamma", "steps", "epochs",
               "warmup", "save_best")
CHOICES = {
    "model_type": ("TwoLayerNet", "VanillaCNN", "MyModel", "ResNet-32"),
    "imbalance": ("regular", "imbalance"),
    "loss_type": ("CE", "Focal"),
}
SCHEDULES = ("course", "step", "cosine", "linear")
CSV_COLUMNS = (["epoch", "lr", "train_loss", "train_acc", "test_loss", "test_acc"]
               + ["class_acc_%d" % c for c in range(NUM_CLASSES)] + ["seconds"])


# ------------------------------------------------------------------ configuration
def pop_extras(kwargs):
    """Remove this kit's optional keys from `kwargs` (what the Solver left); return them, checked.

    A key that is neither the course's nor ours is ignored as the course does, but with
    a warning naming the closest valid key (a typo in a config otherwise goes unnoticed).
    """
    extras = {key: kwargs.pop(key, default) for key, default in EXTRA_DEFAULTS.items()}
    for key in kwargs:
        if key != "description":
            close = difflib.get_close_matches(key, COURSE_KEYS + tuple(EXTRA_DEFAULTS), n=1)
            warnings.warn("Solver ignores the unknown key %r%s" % (key, " (did you mean %r?)" % close[0]
                                                                    if close else ""), stacklevel=3)
    if extras["schedule"] not in SCHEDULES:
        raise ValueError("schedule must be one of %s, got %r" % (", ".join(SCHEDULES), extras["schedule"]))
    if not 0 <= extras["crop_padding"] <= 16:
        raise ValueError("crop_padding must be a whole number of pixels from 0 to 16, got %r"
                         % (extras["crop_padding"],))
    if extras["test_every"] < 1:
        raise ValueError("test_every must be >= 1, got %r" % (extras["test_every"],))
    name = extras["run_name"]
    if name is not None and (not isinstance(name, str) or name in ("", ".", "..") or "/" in name
                             or os.sep in name):
        raise ValueError("run_name must be a folder name (no '/'), got %r" % (name,))
    if extras["resume"] and name is None:
        raise ValueError("resume=True needs a run_name (the run folder to continue from)")
    return extras


def check_solver(solver):
    """Check the course's settings of a Solver; YAML reads 1e-4 (no dot) as text: convert it.

    Raises ValueError naming the key, what was expected and what was given.
    """
    for attr, valid in CHOICES.items():
        if getattr(solver, attr) not in valid:
            key = "model" if attr == "model_type" else attr
            raise ValueError("%s must be one of %s, got %r" % (key, ", ".join(map(repr, valid)),
                                                                 getattr(solver, attr)))
    for attr, key, kind in (("lr", "learning_rate", float), ("momentum", "momentum", float),
                            ("reg", "reg", float), ("beta", "beta", float), ("gamma", "gamma", float),
                            ("batch_size", "batch_size", int), ("epochs", "epochs", int),
                            ("warmup", "warmup", int)):
        value = getattr(solver, attr)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError("%s must be a number, got %r" % (key, value)) from None
        if kind is int and number != int(number):
            raise ValueError("%s must be a whole number, got %r" % (key, value))
        setattr(solver, attr, kind(number))
    if solver.extras["label_smoothing"] and solver.loss_type != "CE":
        raise ValueError("label_smoothing works with loss_type 'CE' only")
    if solver.batch_size < 1 or solver.epochs < 1:
        raise ValueError("batch_size and epochs must be >= 1")
    steps = solver.steps
    if not (isinstance(steps, (list, tuple)) and len(steps) == 2 and steps[0] <= steps[1]):
        raise ValueError("steps must be two epochs [first, second] with first <= second, got %r" % (steps,))


def check_model(model):
    """A model without parameters is a model whose __init__ is still to be written."""
    if not any(True for _ in model.parameters()):
        raise NotImplementedError("%s has no parameters: define its layers in its __init__ (models/)"
                                  % type(model).__name__)


def check_step(output, loss):
    """_compute_loss_update_params must return the batch's scores and its loss (both tensors)."""
    if not (isinstance(output, torch.Tensor) and isinstance(loss, torch.Tensor)):
        raise NotImplementedError("Solver._compute_loss_update_params returned (%s, %s); it must return the "
                                  "batch's output scores and its loss, both tensors: complete it in solver.py"
                                  % (type(output).__name__, type(loss).__name__))


def load_config(path):
    """Read a YAML config and flatten its sections (Train, network, data, loss) into Solver kwargs.

    As the course's notebook does, a `description` key is skipped. Raises ValueError if a
    section is not a mapping or a key appears in two sections.
    """
    import yaml
    with open(path) as f:
        raw = yaml.safe_load(f) or {}
    kwargs = {}
    for section, values in raw.items():
        if section == "description":
            continue
        if not isinstance(values, dict):
            raise ValueError("%s: section %r must hold key: value pairs" % (path, section))
        for key, value in values.items():
            if key == "description":
                continue
            if key in kwargs:
                raise ValueError("%s: key %r appears in two sections" % (path, key))
            kwargs[key] = value
    return kwargs


# ------------------------------------------------------------------ batches
class InMemoryLoader:
    """Batches (normalised images, labels) of a CIFAR-10 dataset, made with tensor operations.

    Inputs:
    - dataset: a torchvision-style CIFAR10 (uint8 `data` of shape (N, 32, 32, 3), `targets`)
    - batch_size: images per batch (the last batch may be smaller)
    - shuffle: a new random order every pass
    - augment: random crop (zero padding `crop_padding`) and horizontal flip per image
    - device: where the images live and the batches are made
    - generator: torch.Generator on the CPU for the order and the augmentation, so a run
      is the same on every device
    - memory_format: of the returned image batches (torch.channels_last or contiguous)

    Iterating yields (data, target): data (B, 3, 32, 32) float32, normalised with the
    course's mean and std; target (B,) long. len() is the number of batches.
    """

    def __init__(self, dataset, batch_size, shuffle=False, augment=False, device="cpu", generator=None,
                 crop_padding=4, memory_format=torch.contiguous_format):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle, self.augment = shuffle, augment
        self.generator = generator
        self.crop_padding = crop_padding
        self.memory_format = memory_format
        self.device = torch.device(device)
        data = torch.from_numpy(np.ascontiguousarray(dataset.data))
        self.images = data.permute(0, 3, 1, 2).contiguous().to(self.device)  # HWC -> CHW, uint8
        self.labels = torch.as_tensor(np.asarray(dataset.targets), dtype=torch.long).to(self.device)
        std = torch.tensor(STD, device=self.device).view(1, 3, 1, 1)
        self.scale = 1.0 / (255.0 * std)
        self.shift = -torch.tensor(MEAN, device=self.device).view(1, 3, 1, 1) / std

    def __len__(self):
        return math.ceil(len(self.labels) / self.batch_size)

    def __iter__(self):
        n, size = len(self.labels), self.batch_size
        order = torch.randperm(n, generator=self.generator).to(self.device) if self.shuffle else None
        for i in range(len(self)):
            if order is None:
                x, y = self.images[i * size:(i + 1) * size], self.labels[i * size:(i + 1) * size]
            else:
                idx = order[i * size:(i + 1) * size]
                x, y = self.images.index_select(0, idx), self.labels.index_select(0, idx)
            if self.augment:
                x = self.crop_and_flip(x)
            yield self.normalise(x), y

    def normalise(self, x):
        """uint8 (B, 3, H, W) -> (x / 255 - mean) / std, float32, in self.memory_format."""
        x = x.float().mul_(self.scale).add_(self.shift)
        return x.contiguous(memory_format=self.memory_format)

    def crop_and_flip(self, x):
        """Random crop (zero padding p) and horizontal flip of every image, in one gather.

        Each image gets its own offsets (uniform in 0..2p, as RandomCrop(32, padding=p))
        and a coin flip (as RandomHorizontalFlip()); flipping reverses the column index.

        Shape:
        - x: (B, C, H, W) uint8; output: same
        """
        n, c, h, w = x.shape
        p = self.crop_padding
        pw = w + 2 * p
        padded = F.pad(x, (p, p, p, p)).view(n, c, (h + 2 * p) * pw)
        dy = torch.randint(0, 2 * p + 1, (n, 1, 1), generator=self.generator)
        dx = torch.randint(0, 2 * p + 1, (n, 1, 1), generator=self.generator)
        flip = torch.rand(n, 1, 1, generator=self.generator) < 0.5
        cols = torch.arange(w).view(1, 1, w)
        cols = dx + torch.where(flip, w - 1 - cols, cols)
        rows = dy + torch.arange(h).view(1, h, 1)
        # flat index of output pixel (i, j) in the padded image: row * padded width + column
        index = (rows * pw + cols).view(n, 1, h * w).to(x.device)
        return padded.gather(2, index.expand(n, c, h * w)).view(n, c, h, w)


def autocast(solver):
    """bfloat16 autocast when the Solver's amp is on (CPU or CUDA), else a no-op context.

    bfloat16 has float32's range, so gradients need no scaling and the training step
    (forward, loss, backward, step) can run inside it unchanged.
    """
    device = torch.device(solver.device)
    if solver.extras["amp"] and device.type in ("cpu", "cuda"):
        return torch.autocast(device.type, dtype=torch.bfloat16)
    return nullcontext()


# ------------------------------------------------------------------ schedules
def iteration_lr(solver, epoch, step, steps_per_epoch):
    """Learning rate of iteration `step` (0-based) of epoch `epoch` (0-based), for the
    per-iteration schedules ("step", "cosine", "linear"; see the module docstring)."""
    base, extras = solver.lr, solver.extras
    it = epoch * steps_per_epoch + step
    warm_its = solver.warmup * steps_per_epoch
    if it < warm_its:
        return base * (it + 1) / warm_its
    if extras["schedule"] == "step":
        if epoch >= solver.steps[1]:
            return base * extras["lr_decay"] ** 2
        if epoch >= solver.steps[0]:
            return base * extras["lr_decay"]
        return base
    progress = (it - warm_its) / max(1, solver.epochs * steps_per_epoch - warm_its)
    if extras["schedule"] == "cosine":
        return base * 0.5 * (1 + math.cos(math.pi * progress))
    return base * (1 - progress)  # "linear"


def set_lr(optimizer, lr):
    for group in optimizer.param_groups:
        group["lr"] = lr


# ------------------------------------------------------------------ files
def atomic_save(obj, path):
    """torch.save to a temporary file, then rename: an interrupted save leaves the old file whole."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        torch.save(obj, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def cpu_state_dict(model):
    """The model's state_dict as contiguous CPU tensors: loads anywhere without map_location."""
    return {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}


def _write_rows(path, rows):
    with open(path + ".tmp", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    os.replace(path + ".tmp", path)


class RunRecords:
    """runs/<run_name>/: metrics.csv (one row per epoch), confusion.csv, last.pth (to resume)."""

    def __init__(self, solver, run_name):
        self.dir = os.path.join(solver.path_prefix, "runs", run_name)
        self.history = []
        self.best_epoch = 0
        os.makedirs(self.dir, exist_ok=True)

    def add_epoch(self, solver, epoch, train_loss, train_acc, test_acc, seconds):
        """Record epoch `epoch` (0-based): a metrics.csv row, confusion.csv if it was evaluated,
        and last.pth. test_acc None: not evaluated this epoch (test_every)."""
        row = {"epoch": epoch + 1, "lr": solver.optimizer.param_groups[0]["lr"],
               "train_loss": train_loss, "train_acc": train_acc, "seconds": seconds}
        if test_acc is not None:
            counts = solver.eval_counts
            class_acc = (counts.diag() / counts.sum(1).clamp(min=1)).tolist()
            row.update(test_loss=solver.eval_loss, test_acc=test_acc)
            row.update({"class_acc_%d" % c: a for c, a in enumerate(class_acc)})
            # rows = true class, columns = predicted class, counts, no header
            _write_rows(os.path.join(self.dir, "confusion.csv"), counts.long().tolist())
        self.history.append(row)
        fmt = lambda k, v: "" if v is None else ("%d" % v if k == "epoch" else "%.6g" % v)  # noqa: E731
        _write_rows(os.path.join(self.dir, "metrics.csv"),
                    [CSV_COLUMNS] + [[fmt(k, r.get(k)) for k in CSV_COLUMNS] for r in self.history])
        self.save_state(solver, epoch + 1)

    def save_state(self, solver, epochs_done):
        device = torch.device(solver.device)
        atomic_save({
            "model_name": solver.model_type, "epoch": epochs_done,
            "model": solver.model.state_dict(), "optimizer": solver.optimizer.state_dict(),
            "best": float(solver.best), "best_cm": solver.best_cm, "best_epoch": self.best_epoch,
            "history": self.history, "rng": torch.get_rng_state(),
            "generator": solver.generator.get_state() if solver.generator is not None else None,
            "cuda_rng": torch.cuda.get_rng_state_all() if device.type == "cuda" else None,
        }, os.path.join(self.dir, "last.pth"))

    def load_state(self, solver):
        """Restore last.pth if it exists; returns the number of epochs already done (0 if none)."""
        path = os.path.join(self.dir, "last.pth")
        if not os.path.exists(path):
            return 0
        state = torch.load(path, map_location="cpu", weights_only=True)  # RNG states stay on the CPU
        if state.get("model_name") != solver.model_type:
            raise ValueError("cannot resume: %s was saved for model %r, but this run trains %r. Fix: use "
                             "another run_name, or delete that file to start over."
                             % (path, state.get("model_name"), solver.model_type))
        solver.model.load_state_dict(state["model"])
        solver.optimizer.load_state_dict(state["optimizer"])
        solver.best, solver.best_cm = state["best"], state["best_cm"]
        self.best_epoch = state["best_epoch"]
        self.history = [row for row in state["history"] if row["epoch"] <= state["epoch"]]
        torch.set_rng_state(state["rng"])
        if state["generator"] is not None and solver.generator is not None:
            solver.generator.set_state(state["generator"])
        if state["cuda_rng"] is not None and torch.device(solver.device).type == "cuda":
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        return state["epoch"]


# ------------------------------------------------------------------ command line
def main(solver_class, argv=None):
    p = argparse.ArgumentParser(prog="python -m solver", description="Train a Part 2 model from a YAML config.")
    p.add_argument("--config", required=True, help="e.g. configs/config_twolayer.yaml")
    p.add_argument("--device", default=None, help="override the config's device (cpu, cuda, mps)")
    p.add_argument("--resume", action="store_true", help="continue from runs/<config name>/last.pth")
    p.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                   help="override config keys, e.g. --set epochs=2 amp=true")
    args = p.parse_args(argv)
    import yaml
    kwargs = load_config(args.config)
    kwargs.setdefault("run_name", os.path.splitext(os.path.basename(args.config))[0])
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            p.error("--set expects KEY=VALUE, got %r" % item)
        kwargs[key] = yaml.safe_load(value)
    if args.device:
        kwargs["device"] = args.device
    if args.resume:
        kwargs["resume"] = True
    solver = solver_class(**kwargs)
    solver.train()
    if solver.save_best:
        print("best weights: %s" % solver.checkpoint_path)
    return 0


if __name__ == "__main__":
    sys.exit("run `python -m solver --config ...` instead")
