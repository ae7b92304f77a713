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
  channels_last=False: NHWC memory layout (faster convolutions on CPU), for the
  gradients too (channels_last_gradients).
- label_smoothing=0.0 (loss_type CE) and nesterov=False: passed to PyTorch.
- schedule="course": the course's per-epoch rule (Solver._adjust_learning_rate). Per
  iteration instead: "step" (linear warm-up over `warmup` epochs, then x lr_decay
  after epoch steps[0] and x lr_decay**2 after steps[1]), "cosine" and "linear"
  (decay to 0 after the warm-up). warmup_from=0.0: the warm-up rises linearly from this
  fraction f of learning_rate (its k-th of W steps gets f + (1 - f) * k / W of it);
  decay_to=0.0: cosine and linear end at this fraction of learning_rate (airbench94's
  triangular schedule: 0.2 and 0.07).
- test_every=1: evaluate every n epochs (always after the last one).
- flip="random": each image is mirrored with probability 1/2 in every epoch; "alternate":
  in one epoch half the images are mirrored and in the next epoch the other half, so every
  image is seen both ways in any two epochs in a row (fast CIFAR-10 training's
  "alternating flip": a short run sees more distinct images).
- lookahead=0: with k > 0, Lookahead weight averaging every k optimizer steps (Lookahead).
- run_name=None: with a name (the command line uses the config file's name), every
  epoch appends a row to runs/<run_name>/metrics.csv, writes the evaluation's confusion
  matrix (counts) to runs/<run_name>/confusion.csv and the state needed to continue to
  runs/<run_name>/last.pth; resume=True continues from that state.
- checkpoint_dir=None: where the best weights go (default: checkpoints/ beside
  solver.py, the course's place); test_root=None: folder of the test set (default
  "./data", the course's, relative to the working directory).
- overwrite=False: no run loses earlier work. checkpoints/<model>.pth (what the tests
  grade) is replaced only by better weights (CheckpointKeeper: a run that does worse
  saves its best beside it and says where), and a fresh run keeps an earlier run's
  files in runs/<run_name>/ (moved to runs/<run_name>/previous/). overwrite=True
  replaces both.
- The command line (main) also keeps freed memory in the process (reuse_freed_memory):
  no config key, only the speed changes.
- loss_module=None: a module (e.g. my_losses for my_losses.py beside solver.py) that adds
  loss types with config.register_loss; loss_type can then name one of them.

The defaults and checks of every key are in config.py: bad settings raise SolverError
before any data is loaded, with a one-line message naming the key, what was expected and
the fix; the command line prints such errors without a traceback (--debug shows it).
"""
import argparse
import copy
import csv
import ctypes
import hashlib
import json
import math
import os
import re
import sys
import time
import uuid
import warnings
from contextlib import nullcontext

import numpy as np
import torch
import torch.nn.functional as F

from cs7643.atomic import atomic_path
from config import SolverError, load_config, yaml_problem  # the config contract (config.py)

MEAN = (0.4914, 0.4822, 0.4465)  # the course's Normalize constants
STD = (0.2023, 0.1994, 0.2010)
NUM_CLASSES = 10

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_COLUMNS = (["epoch", "lr", "train_loss", "train_acc", "test_loss", "test_acc"]
               + ["class_acc_%d" % c for c in range(NUM_CLASSES)] + ["seconds"])


# ------------------------------------------------------------------ the student's code
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
    - flip: "random" (a coin per image and pass) or "alternate" (image i is mirrored in
      passes where i + pass is odd)

    Iterating yields (data, target): data (B, 3, 32, 32) float32, normalised with the
    course's mean and std; target (B,) long. len() is the number of batches.
    """

    def __init__(self, dataset, batch_size, shuffle=False, augment=False, device="cpu", generator=None,
                 crop_padding=4, memory_format=torch.contiguous_format, flip="random"):
        self.dataset = dataset
        self.flip = flip
        self.passes = 0  # passes over the data so far (the Solver sets it when a run resumes)
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
        this_pass = self.passes
        self.passes += 1
        for i in range(len(self)):
            if order is None:
                idx = None
                x, y = self.images[i * size:(i + 1) * size], self.labels[i * size:(i + 1) * size]
            else:
                idx = order[i * size:(i + 1) * size]
                x, y = self.images.index_select(0, idx), self.labels.index_select(0, idx)
            if self.augment:
                flip = None
                if self.flip == "alternate":  # image i is mirrored in the passes where i + pass is odd
                    if idx is None:
                        idx = torch.arange(i * size, i * size + len(y), device=self.device)
                    flip = (idx + this_pass) % 2 == 1
                x = self.crop_and_flip(x, flip)
            yield self.normalise(x), y

    def normalise(self, x):
        """uint8 (B, 3, H, W) -> (x / 255 - mean) / std, float32, in self.memory_format."""
        x = x.float().mul_(self.scale).add_(self.shift)
        return x.contiguous(memory_format=self.memory_format)

    def crop_and_flip(self, x, flip=None):
        """Random crop (zero padding p) and horizontal flip of every image, in one gather.

        Each image gets its own offsets (uniform in 0..2p, as RandomCrop(32, padding=p))
        and a coin flip (as RandomHorizontalFlip()), unless `flip` (B,) bool says which
        images to mirror; flipping reverses the column index.

        Shape:
        - x: (B, C, H, W) uint8; output: same
        """
        n, c, h, w = x.shape
        p = self.crop_padding
        pw = w + 2 * p
        padded = F.pad(x, (p, p, p, p)).view(n, c, (h + 2 * p) * pw)
        dy = torch.randint(0, 2 * p + 1, (n, 1, 1), generator=self.generator)
        dx = torch.randint(0, 2 * p + 1, (n, 1, 1), generator=self.generator)
        if flip is None:
            flip = torch.rand(n, 1, 1, generator=self.generator) < 0.5
        flip = flip.view(n, 1, 1).cpu()
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


def reuse_freed_memory():
    """Keep memory that tensors free inside the process, for the next batch's tensors (glibc).

    Why: glibc's malloc hands every block above 32 MB straight back to the operating
    system when it is freed (and trims the heap's free top), so the next training step
    gets fresh pages, which the kernel must map and zero one 4 kB page at a time. With
    MyModel at batch 1024 that was about 190,000 page faults and 0.4 s of system time
    per step (of 3.2 s of CPU time). After this call big blocks come from the heap and
    stay there: the same step makes no page faults. The process keeps its peak memory
    until it ends, which a training run reaches anyway.

    Returns True if the setting took effect; elsewhere (macOS, Windows, musl) it does
    nothing and returns False. Only the speed changes, never a value.
    """
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # glibc only: mallopt's parameter numbers are glibc's
    except (OSError, AttributeError):
        return False
    M_TRIM_THRESHOLD, M_MMAP_MAX = -1, -4
    # no mmap'ed blocks at all, and give the heap's free top back only above 2 GB
    return bool(libc.mallopt(M_MMAP_MAX, 0)) and bool(libc.mallopt(M_TRIM_THRESHOLD, 2**31 - 1))


def channels_last_gradients(model):
    """Make the gradient that reaches each layer's 4-D output channels_last, as the output is.

    Why: a model that flattens its feature maps before a linear layer (torch.flatten,
    .view) hands the layer before the flatten a gradient in the default NCHW layout,
    while that layer's output and saved tensors are channels_last. Some CPU backward
    kernels are much slower with mixed layouts: VanillaCNN's max-pool backward takes
    about 11 ms for a batch of 128 instead of 4 ms, a fifth of its whole training step.
    Converting the gradient costs about 0.4 ms. Only the memory layout changes, not a
    single value.

    Inputs:
    - model: an nn.Module whose parameters are already channels_last; a hook is added to
      each of its leaf modules (layers without sub-modules). Returns the model.
    """
    def to_channels_last(grad):
        return grad.contiguous(memory_format=torch.channels_last)

    def after_forward(module, inputs, output):
        if isinstance(output, torch.Tensor) and output.dim() == 4 and output.requires_grad:
            output.register_hook(to_channels_last)  # runs when the output's gradient is ready

    for module in model.modules():
        if next(module.children(), None) is None:
            module.register_forward_hook(after_forward)
    return model


class Lookahead:
    """Lookahead weight averaging around an optimizer (Zhang et al., 2019, "Lookahead
    Optimizer: k steps forward, 1 step back"), with the growing averaging weight of fast
    CIFAR-10 training (Jordan, 2024, airbench).

    Every `every` steps of the optimizer, slow weights (a copy of the model's parameters
    and float buffers, BN's running statistics included) move towards the model's
    ("fast") weights, slow = decay * slow + (1 - decay) * fast, and the model restarts
    from the slow weights. decay = decay_max * (step / total_steps) ** 3: close to 0 early,
    while the weights should move fast, and decay_max near the end, where averaging nearby
    weights smooths out the noise of the last SGD steps. The last step syncs too, so the
    trained model ends on the slow weights.

    Inputs:
    - optimizer: the optimizer to wrap (SGD); its step, zero_grad and param_groups are used
    - model: the nn.Module whose parameters the optimizer updates
    - every: optimizer steps between two syncs (k)
    - total_steps: steps of the whole run (epochs x batches per epoch)

    Stands in for the optimizer in the Solver: step(), zero_grad(), param_groups,
    state_dict() and load_state_dict() (the slow weights included, so a run resumes exactly).
    """

    def __init__(self, optimizer, model, every, total_steps, decay_max=0.95 ** 5):
        self.optimizer, self.every, self.total_steps, self.decay_max = optimizer, every, total_steps, decay_max
        # state_dict() tensors share memory with the model: copying into them sets its weights
        self.fast = [t for t in model.state_dict().values() if t.is_floating_point()]
        self.slow = [t.detach().clone() for t in self.fast]
        self.steps = 0

    @property
    def param_groups(self):
        return self.optimizer.param_groups

    def zero_grad(self, set_to_none=True):
        self.optimizer.zero_grad(set_to_none=set_to_none)

    def step(self, closure=None):
        loss = self.optimizer.step(closure)
        self.steps += 1
        if self.steps % self.every == 0 or self.steps == self.total_steps:
            decay = self.decay_max * min(1.0, self.steps / self.total_steps) ** 3
            with torch.no_grad():
                for fast, slow in zip(self.fast, self.slow):
                    slow.lerp_(fast, 1 - decay)
                    fast.copy_(slow)
        return loss

    def state_dict(self):
        return {"optimizer": self.optimizer.state_dict(), "slow": self.slow, "steps": self.steps}

    def load_state_dict(self, state):
        if set(state) != {"optimizer", "slow", "steps"} or len(state["slow"]) != len(self.slow):
            raise ValueError("not a Lookahead state for this model (saved without lookahead, or for other layers)")
        self.optimizer.load_state_dict(state["optimizer"])
        with torch.no_grad():
            for slow, saved in zip(self.slow, state["slow"]):
                slow.copy_(saved)
        self.steps = int(state["steps"])


# ------------------------------------------------------------------ schedules
def iteration_lr(solver, epoch, step, steps_per_epoch):
    """Learning rate of iteration `step` (0-based) of epoch `epoch` (0-based), for the
    per-iteration schedules ("step", "cosine", "linear"; see the module docstring)."""
    base, extras = solver.lr, solver.extras
    it = epoch * steps_per_epoch + step
    warm_its = solver.warmup * steps_per_epoch
    if it < warm_its:  # linear, from warmup_from x base (0: from base / warm_its) up to base
        start = extras["warmup_from"]
        return base * (start + (1 - start) * (it + 1) / warm_its)
    if extras["schedule"] == "step":
        if epoch >= solver.steps[1]:
            return base * extras["lr_decay"] ** 2
        if epoch >= solver.steps[0]:
            return base * extras["lr_decay"]
        return base
    progress = (it - warm_its) / max(1, solver.epochs * steps_per_epoch - warm_its)
    if extras["schedule"] == "cosine":
        left = 0.5 * (1 + math.cos(math.pi * progress))
    else:  # "linear"
        left = 1 - progress
    end = extras["decay_to"]  # the decay goes from base down to decay_to x base
    return base * (end + (1 - end) * left)


def set_lr(optimizer, lr):
    for group in optimizer.param_groups:
        group["lr"] = lr


# ------------------------------------------------------------------ files
def _first_line(error):
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


def _shown_path(path):
    """A path as short as it can be said: relative to the working folder if inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _free_name(base, ext=""):
    """base + ext if that name is free, else base-2 + ext, base-3 + ext, ...: never an existing file."""
    path, n = base + ext, 1
    while os.path.lexists(path):
        n += 1
        path = "%s-%d%s" % (base, n, ext)
    return path


def atomic_save(obj, path):
    """torch.save to a temporary file, then rename: an interrupted save leaves the old file whole."""
    with atomic_path(path) as tmp:
        torch.save(obj, tmp)


def _write_json(obj, path):
    """json.dump to a temporary file, then rename (as atomic_save)."""
    with atomic_path(path) as tmp:
        with open(tmp, "w") as f:
            json.dump(obj, f, indent=1)


def cpu_state_dict(model):
    """The model's state_dict as contiguous CPU tensors: loads anywhere without map_location."""
    return {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class CheckpointKeeper:
    """Saves the Solver's best weights to checkpoints/<model>.pth without ever losing better ones.

    The course's tests grade checkpoints/<model>.pth, so it must hold the best weights the
    user has trained, whatever run trained them. Beside it, <model>.pth.json records their test
    accuracy, the run that trained them and their sha256 (the record is believed only for
    that very file). A run saves there only weights that are better (a higher test
    accuracy), or when asked to (overwrite=True). Otherwise:
    - weights there that are at least as good are kept, and this run's best go beside
      them: runs/<run_name>/<model>.pth, or checkpoints/<model>.<date-time>.pth for a run
      without a run_name; a line says where (once per run);
    - weights there without a record (trained elsewhere, copied in) are first measured on
      the Solver's test set;
    - weights there that this model cannot load (its layers changed, or the file is
      damaged) cannot be compared: they are moved to <model>.previous.pth, and a line says so.
    """

    def __init__(self):
        self.writer = uuid.uuid4().hex  # this Solver's own records: it may rewrite them
        self.started = time.strftime("%Y%m%d-%H%M%S")
        self.beside = None  # where this run's best go when they are not the best
        self.written = {}  # path -> sha256 of what this Solver wrote there
        self.told = set()
        self.last = None  # (the best model saved last, its accuracy, where)

    def save(self, solver):
        """Save solver.best_model (test accuracy solver.best); returns the path written."""
        path = solver.checkpoint_path
        accuracy = float(solver.best)
        if self.last is not None and self.last[:2] == (id(solver.best_model), accuracy):
            target = self.last[2]  # saved already (the end of a run repeats its last best epoch's save)
            if os.path.exists(target) and _sha256(target) == self.written.get(target):
                return target
        self.last = None
        target = self._save(solver, path, accuracy, cpu_state_dict(solver.best_model))
        self.last = (id(solver.best_model), accuracy, target)
        return target

    def _save(self, solver, path, accuracy, weights):
        if os.path.exists(path) and not solver.extras["overwrite"]:
            kept, source = self._kept_accuracy(solver, path)
            if kept is None:  # cannot be compared: keep it, under another name
                aside = _free_name(os.path.splitext(path)[0] + ".previous", ".pth")
                self._guard(os.replace, path, aside, what="move %s to %s" % (path, aside))
                self._tell("%s could not be loaded into this %s (%s), so it was moved to %s; this run's best "
                           "weights take its place" % (_shown_path(path), solver.model_type, source,
                                                       _shown_path(aside)))
            elif not accuracy > kept:
                target = self._beside(solver)
                self._write(weights, target)
                self._tell("%s is kept: this run's best so far does not beat it (test accuracy %.4f against %.4f "
                           "there, %s). This run's best weights go to %s; to replace the kept ones, copy that file "
                           "over it, or train with overwrite: true (--overwrite)"
                           % (_shown_path(path), accuracy, kept, source, _shown_path(target)))
                return target
        self._write(weights, path)
        self._record(solver, path, self.written[path], accuracy, solver.extras["run_name"])
        for old in [p for p in self.written if p != path]:  # this run's own lesser best, now superseded
            if os.path.exists(old) and _sha256(old) == self.written.pop(old):
                os.remove(old)
        return path

    def _kept_accuracy(self, solver, path):
        """(test accuracy of the weights at `path`, where it comes from), or (None, why not)."""
        record = self._read_record(path)
        digest = _sha256(path)
        if record is not None and record.get("sha256") == digest:
            if record.get("writer") == self.writer:
                return -math.inf, "this run's"  # this Solver's own earlier best
            run, saved = record.get("run_name"), record.get("saved", "?")
            source = record.get("source") or ("trained by run %s, saved %s" % (run, saved) if run else
                                              "trained by a run without run_name, saved %s" % saved)
            return float(record["test_accuracy"]), source
        accuracy, why = measure(solver, path)
        if accuracy is None:
            return None, why
        self._record(solver, path, digest, accuracy, None, source="measured on the test set: it had no record",
                     writer="")
        return accuracy, "measured on the test set: it had no record"

    @staticmethod
    def _read_record(path):
        try:
            with open(path + ".json") as f:
                record = json.load(f)
            if not math.isfinite(float(record["test_accuracy"])):
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or damaged: the weights are measured instead
        return record

    def _record(self, solver, path, digest, accuracy, run_name, source=None, writer=None):
        record = {"model": solver.model_type, "test_accuracy": accuracy, "run_name": run_name,
                  "saved": time.strftime("%Y-%m-%d %H:%M:%S"), "sha256": digest,
                  "writer": self.writer if writer is None else writer}
        if source:
            record["source"] = source
        json_path = path + ".json"
        self._guard(_write_json, record, json_path, what="write %s" % json_path)

    def _beside(self, solver):
        if solver.records is not None:
            solver.records.claim(solver)
            return os.path.join(solver.records.dir, solver.model_type.lower() + ".pth")
        if self.beside is None:  # a new name, even for two runs started in the same second
            self.beside = _free_name("%s.%s" % (os.path.splitext(solver.checkpoint_path)[0], self.started), ".pth")
        return self.beside

    def _write(self, weights, path):
        self._guard(os.makedirs, os.path.dirname(path) or ".", exist_ok=True, what="make the folder of %s" % path)
        self._guard(atomic_save, weights, path, what="save the best weights to %s" % path)
        self.written[path] = _sha256(path)

    @staticmethod
    def _guard(fn, *args, what, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OSError as e:
            raise SolverError("could not %s (%s); free some space or make the folder writable (or set "
                              "checkpoint_dir to another folder), then save again: in a notebook, "
                              "solver._save_best_model()" % (what, e.strerror or e)) from e

    def _tell(self, message):
        key = message.split(" ", 1)[0]
        if key not in self.told:  # once per run and file, not at every new best epoch
            self.told.add(key)
            print(message)


def measure(solver, path):
    """Test accuracy of the weights in `path` on the Solver's test set, as _evaluate measures
    it; (None, why) if this model cannot load them."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        model = copy.deepcopy(solver.model)
        model.load_state_dict(state)
    except Exception as e:  # damaged, not a state_dict, or another architecture's
        return None, "%s: %s" % (type(e).__name__, _first_line(e))
    model.eval()
    correct = total = 0
    with torch.no_grad(), autocast(solver):
        for data, target in solver.val_loader:
            target = target.to(solver.device)
            correct += (model(data.to(solver.device)).argmax(1) == target).sum().item()
            total += target.numel()
    return correct / max(total, 1), None


def diverged(solver, epoch, loss):
    """The FloatingPointError that stops a run whose training loss is no longer finite;
    the message says what is kept (the Solver saves its best weights as it stops)."""
    if not solver.save_best:
        kept = "No weights are saved (save_best is false)"
    elif solver.best_model is None:
        kept = "No epoch was evaluated before it, so there are no weights to save"
    else:
        kept = "The best weights so far (test accuracy %.4f) are saved as the run stops" % solver.best
    records = solver.records
    if records is not None and records.history:  # last.pth holds this run's state before the epoch
        kept += ("; %s holds the state before epoch %d: continue from it with resume (--resume) and a lower "
                 "learning_rate" % (_shown_path(os.path.join(records.dir, "last.pth")), epoch))
    return FloatingPointError("the training loss became %s in epoch %d (learning rate %.4g): lower "
                              "learning_rate or add warmup epochs. %s" % (
                                  loss, epoch, solver.optimizer.param_groups[0]["lr"], kept))


def _write_rows(path, rows):
    with atomic_path(path) as tmp:
        with open(tmp, "w", newline="") as f:
            csv.writer(f).writerows(rows)


STATE_KEYS = ("model_name", "epoch", "model", "optimizer", "best", "best_cm", "best_epoch", "history", "rng",
              "generator", "cuda_rng")


class RunRecords:
    """runs/<run_name>/: metrics.csv (one row per epoch), confusion.csv, last.pth (to resume).

    A fresh run (not resumed) never overwrites an earlier run's files in its folder: the
    first time it writes, it moves them to runs/<run_name>/previous/ (previous-2/, ...) and
    says so; overwrite=True removes them instead.
    """

    def __init__(self, solver, run_name):
        self.dir = os.path.join(solver.path_prefix, "runs", run_name)
        self.history = []
        self.best_epoch = 0
        self.claimed = False
        try:
            os.makedirs(self.dir, exist_ok=True)
        except OSError as e:
            raise SolverError("cannot make the run folder %s (%s); make %s writable or choose another "
                              "path_prefix" % (self.dir, e.strerror or e, os.path.join(solver.path_prefix, "runs"))
                              ) from None

    def claim(self, solver):
        """Called before this run first writes here: an earlier run's files are kept aside."""
        if self.claimed:
            return
        self.claimed = True
        if solver.start_epoch > 0:  # resumed: the files are this run's own
            return
        earlier = sorted(n for n in os.listdir(self.dir) if not re.fullmatch(r"previous(-\d+)?", n))
        if not earlier:
            return
        if solver.extras["overwrite"]:
            for name in earlier:
                if name in ("metrics.csv", "confusion.csv") or name.endswith(".pth"):
                    os.remove(os.path.join(self.dir, name))
            return
        aside = _free_name(os.path.join(self.dir, "previous"))
        os.makedirs(aside)
        for name in earlier:
            os.replace(os.path.join(self.dir, name), os.path.join(aside, name))
        print("%s held an earlier run (%s): moved to %s. To continue a run instead, use resume (--resume); to "
              "replace it, overwrite: true (--overwrite)" % (_shown_path(self.dir), ", ".join(earlier),
                                                            _shown_path(aside)))

    def add_epoch(self, solver, epoch, train_loss, train_acc, test_acc, seconds):
        """Record epoch `epoch` (0-based): a metrics.csv row, confusion.csv if it was evaluated,
        and last.pth. test_acc None: not evaluated this epoch (test_every)."""
        self.claim(solver)
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
        """Restore last.pth if it exists; returns the number of epochs already done (0 if none).

        Raises SolverError naming the file and the fix if it cannot be read or does not fit
        this Solver's model and optimizer.
        """
        path = os.path.join(self.dir, "last.pth")
        if not os.path.exists(path):
            return 0
        fix = ("Fix: start this run over with resume: false (without --resume; its files are then kept in %s/), "
               "or use another run_name" % _shown_path(os.path.join(self.dir, "previous")))
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)  # RNG states stay on the CPU
        except Exception as e:  # truncated, damaged, a folder, not a torch file
            raise SolverError("cannot resume: %s cannot be read (%s: %s), so it is damaged or not a state the "
                              "Solver saved. %s" % (path, type(e).__name__, _first_line(e), fix)) from e
        missing = [k for k in STATE_KEYS if k not in state] if isinstance(state, dict) else ["model_name"]
        if missing:
            raise SolverError("cannot resume: %s is not a run state saved by the Solver (it has no %r). %s"
                              % (path, missing[0], fix))
        if state["model_name"] != solver.model_type:
            raise SolverError("cannot resume: %s was saved for model %r, but this run trains %r. Fix: use another "
                              "run_name, or start over without resume" % (path, state["model_name"], solver.model_type))
        try:
            solver.model.load_state_dict(state["model"])
            solver.optimizer.load_state_dict(state["optimizer"])
            if isinstance(getattr(solver, "train_loader", None), InMemoryLoader):
                solver.train_loader.passes = state["epoch"]  # flip: "alternate" goes on where it was
            torch.set_rng_state(state["rng"])
            if state["generator"] is not None and solver.generator is not None:
                solver.generator.set_state(state["generator"])
            if state["cuda_rng"] is not None and torch.device(solver.device).type == "cuda":
                torch.cuda.set_rng_state_all(state["cuda_rng"])
        except (RuntimeError, ValueError, KeyError, TypeError) as e:
            raise SolverError("cannot resume: %s does not fit this %s (%s); its layers or settings changed since "
                              "it was saved. %s" % (path, solver.model_type, _first_line(e), fix)) from e
        solver.best, solver.best_cm = state["best"], state["best_cm"]
        self.best_epoch = state["best_epoch"]
        self.history = [row for row in state["history"] if row["epoch"] <= state["epoch"]]
        return state["epoch"]


# ------------------------------------------------------------------ command line
def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    print("warning: %s" % message, file=sys.stderr)


def _is_user_error(error):
    """Errors whose message says what to do: ours, the NaN stop, a method still to write, and
    the data module's (its RuntimeErrors name the folder and the fix). Others are bugs: traceback."""
    if isinstance(error, (SolverError, FloatingPointError, NotImplementedError)):
        return True
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = os.path.abspath(tb.tb_frame.f_code.co_filename) if tb is not None else ""
    return isinstance(error, RuntimeError) and any(
        where.startswith(os.path.join(HERE, d) + os.sep) for d in ("data", "cs7643"))


def main(solver_class, argv=None):
    """`python -m solver`: train a config; errors the user can fix print one line, no traceback."""
    p = argparse.ArgumentParser(prog="python -m solver", description="Train a Part 2 model from a YAML config.")
    p.add_argument("--config", required=True, help="e.g. configs/config_twolayer.yaml")
    p.add_argument("--device", default=None, help="override the config's device (cpu, cuda, mps)")
    p.add_argument("--resume", action="store_true", help="continue from runs/<config name>/last.pth")
    p.add_argument("--overwrite", action="store_true",
                   help="replace better weights in checkpoints/ and an earlier run's files in runs/<config name>/ "
                        "(by default both are kept)")
    p.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                   help="override config keys, e.g. --set epochs=2 amp=true")
    p.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    args = p.parse_args(argv)
    reuse_freed_memory()  # faster training steps on CPU (see there)
    run = {}
    if args.debug:
        return _train(solver_class, args, p, run)
    with warnings.catch_warnings():
        warnings.showwarning = _one_line_warning
        try:
            return _train(solver_class, args, p, run)
        except KeyboardInterrupt:
            records = getattr(run.get("solver"), "records", None)
            last = records and os.path.exists(os.path.join(records.dir, "last.pth")) and records.history
            print("\nstopped (Ctrl-C)%s" % ("; continue with: python -m solver --config %s --resume" % args.config
                                            if last else ""), file=sys.stderr)
            return 130
        except Exception as e:
            if not _is_user_error(e):
                raise
            print("error: %s" % e, file=sys.stderr)
            return 1


def _train(solver_class, args, parser, run):
    import yaml
    kwargs = load_config(args.config)
    kwargs.setdefault("run_name", os.path.splitext(os.path.basename(args.config))[0])
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            parser.error("--set expects KEY=VALUE, e.g. --set epochs=2, got %r (quote a value with spaces: "
                         "--set 'steps=[6, 8]')" % item)
        try:
            kwargs[key.strip()] = yaml.safe_load(value)
        except yaml.YAMLError as e:
            raise SolverError("--set %s: the value is not valid YAML (%s); write e.g. --set steps=[6,8]"
                              % (item, yaml_problem(e))) from None
    if args.device:
        kwargs["device"] = args.device
    if args.resume:
        kwargs["resume"] = True
    if args.overwrite:
        kwargs["overwrite"] = True
    solver = run["solver"] = solver_class(**kwargs)
    solver.train()
    if solver.save_best:
        saved = getattr(solver, "saved_path", None)
        print("best weights: %s" % (saved if saved else "unchanged (no new best epoch in this run)"))
    return 0


if __name__ == "__main__":
    sys.exit("run `python -m solver --config ...` instead")
