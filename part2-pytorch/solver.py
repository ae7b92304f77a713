"""Train and evaluate the Part 2 models on CIFAR-10 (regular or long-tailed).

    solver = Solver(**kwargs)      # the keys of a config file, flattened
    solver.train()

or from a shell, in this folder:

    python -m solver --config configs/config_resnet32.yaml [--device cuda] [--resume]

Every epoch trains on the whole training set, evaluates on the CIFAR-10 test set
(top-1 and per-class accuracy), saves the best model's state_dict to
checkpoints/<model name lower-cased>.pth, appends a row to
runs/<run name>/metrics.csv, writes that evaluation's confusion matrix to
runs/<run name>/confusion.csv and saves the state needed to resume to
runs/<run name>/last.pth.

Why it is fast on a CPU: the training images stay in memory as one uint8 tensor
and each batch is augmented with a few tensor operations (random crop with
padding 4 and horizontal flip, the same distribution as torchvision's
RandomCrop + RandomHorizontalFlip), so no PIL decoding and no DataLoader worker
processes compete with the model for the few cores. `amp` and `channels_last`
speed up convolutions further.

Config keys (the SPEC's, with their defaults, then this kit's optional extras):

    path_prefix="."        folder holding data/, checkpoints/ and runs/
    imbalance="regular"    "regular" or "imbalance" (long-tailed CIFAR-10, factor 100, 'exp')
    batch_size=128
    model="TwoLayerNet"    "TwoLayerNet", "VanillaCNN", "MyModel" or "ResNet-32"
    device="cpu"           "cpu", "cuda", "mps", ...
    loss_type="CE"         "CE" or "Focal" (class-balanced focal loss, weights from `reweight`)
    learning_rate=1e-4
    momentum=0.9
    reg=5e-4               SGD weight decay
    beta=0.9999            class-balanced weights (Focal only)
    gamma=1.0              focal gamma (Focal only)
    steps=[6, 8]           "step" schedule: lr x0.1 from epoch steps[0]+1, x0.01 from steps[1]+1
    epochs=10
    warmup=0               epochs of linear warm-up (per iteration) from 0 to learning_rate
    save_best=True         save the best model's weights to checkpoints/
  extras:
    seed=0                 seeds model init, shuffling and augmentation (same seed -> same run)
    resume=False           continue from runs/<run name>/last.pth if it exists
    run_name=None          name of the run folder (the CLI uses the config file's name;
                           default: the model name lower-cased)
    amp=False              mixed precision: bfloat16 autocast on CPU, float16 on CUDA
    channels_last=False    NHWC memory layout (faster convolutions on CPU and recent GPUs)
    label_smoothing=0.0    for loss_type "CE"
    nesterov=False         Nesterov momentum
    schedule="step"        "step" (the SPEC's), "cosine" or "linear" (decay to 0 after warm-up,
                           per iteration)
    test_every=1           evaluate every n epochs (and always after the last one)
    lr_decay=0.1           "step" schedule factor: lr x lr_decay from steps[0]+1, x lr_decay**2
                           from steps[1]+1 (0.01 gives Cui et al.'s long-tailed schedule)
    crop_padding=4         random-crop padding in pixels (0: flips only); short runs learn
                           faster with a milder 2
"""
import argparse
import csv
import difflib
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from tqdm import tqdm

from data import CIFAR10, Imbalanced_CIFAR10
from losses import FocalLoss, reweight
from models import MyModel, TwoLayerNet, VanillaCNN, resnet32

# per-channel statistics of the CIFAR-10 training set used for normalisation (the course's values)
MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2023, 0.1994, 0.2010)
NUM_CLASSES = 10

DEFAULTS = {
    # the SPEC's keys
    "path_prefix": ".", "imbalance": "regular", "batch_size": 128, "model": "TwoLayerNet",
    "device": "cpu", "loss_type": "CE", "learning_rate": 1e-4, "momentum": 0.9, "reg": 5e-4,
    "beta": 0.9999, "gamma": 1.0, "steps": [6, 8], "epochs": 10, "warmup": 0, "save_best": True,
    # this kit's extras
    "seed": 0, "resume": False, "run_name": None, "amp": False, "channels_last": False,
    "label_smoothing": 0.0, "nesterov": False, "schedule": "step", "test_every": 1,
    "lr_decay": 0.1, "crop_padding": 4,
}
MODELS = {
    "TwoLayerNet": lambda: TwoLayerNet(3072, 256, 10),
    "VanillaCNN": VanillaCNN,
    "MyModel": MyModel,
    "ResNet-32": resnet32,
}
CHOICES = {
    "model": tuple(MODELS),
    "loss_type": ("CE", "Focal"),
    "imbalance": ("regular", "imbalance"),
    "schedule": ("step", "cosine", "linear"),
}
CSV_COLUMNS = (["epoch", "lr", "train_loss", "train_acc", "test_loss", "test_acc"]
               + ["class_acc_%d" % c for c in range(NUM_CLASSES)] + ["seconds"])


# ------------------------------------------------------------------ configuration
def check_config(kwargs):
    """Return the full config: DEFAULTS updated by kwargs, checked and converted.

    Raises ValueError for an unknown key (naming the closest valid one), a value
    outside a fixed set of choices (listing them) or a value of the wrong type.
    """
    for key in kwargs:
        if key not in DEFAULTS:
            close = difflib.get_close_matches(key, DEFAULTS, n=1)
            hint = ("did you mean %r?" % close[0]) if close else "valid keys: %s" % ", ".join(DEFAULTS)
            raise ValueError("unknown config key %r; %s" % (key, hint))
    cfg = dict(DEFAULTS, **kwargs)
    for key, valid in CHOICES.items():
        if cfg[key] not in valid:
            raise ValueError("%s must be one of %s, got %r" % (key, ", ".join(map(repr, valid)), cfg[key]))
    for key, default in DEFAULTS.items():
        value = cfg[key]
        # YAML reads "1e-4" (no dot) as a string: convert numbers given as text
        if isinstance(default, (int, float)) and not isinstance(default, bool) and isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise ValueError("%s must be a number, got %r" % (key, value)) from None
        if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, float):
            if value != int(value):
                raise ValueError("%s must be a whole number, got %r" % (key, value))
            value = int(value)
        cfg[key] = value
    steps = cfg["steps"]
    if not (isinstance(steps, (list, tuple)) and len(steps) == 2 and steps[0] <= steps[1]):
        raise ValueError("steps must be two epochs [first, second] with first <= second, got %r" % (steps,))
    name = cfg["run_name"]
    if name is not None and (not isinstance(name, str) or not name or os.sep in name or "/" in name
                             or name in (".", "..")):
        raise ValueError("run_name must be a folder name (no '/'), got %r" % (name,))
    if cfg["label_smoothing"] and cfg["loss_type"] != "CE":
        raise ValueError("label_smoothing works with loss_type 'CE' only")
    if cfg["batch_size"] < 1 or cfg["epochs"] < 1 or cfg["test_every"] < 1:
        raise ValueError("batch_size, epochs and test_every must be >= 1")
    if not 0 <= cfg["crop_padding"] <= 16:
        raise ValueError("crop_padding must be a whole number of pixels from 0 to 16, got %r"
                         % (cfg["crop_padding"],))
    return cfg


def load_config(path):
    """Read a YAML config and flatten its sections into Solver kwargs.

    The sections (Train, network, data, loss) only group the keys; a `description`
    key is skipped. `run_name` defaults to the file name without extension.
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
    kwargs.setdefault("run_name", os.path.splitext(os.path.basename(path))[0])
    return kwargs


def _atomic_save(obj, path):
    """torch.save to a temporary file, then rename: the old file stays whole if we crash."""
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def load_checkpoint(model, path):
    """Load the state_dict saved at `path` (weights only) into `model`; returns `model`.

    A checkpoint of another network is refused with a message naming the network it
    belongs to (when it is one of MODELS), instead of PyTorch's list of key mismatches.
    """
    state = torch.load(path, map_location="cpu", weights_only=True)
    signature = {k: tuple(v.shape) for k, v in state.items()}
    expected = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    if signature != expected:
        owners = [name for name, build in MODELS.items()
                  if {k: tuple(v.shape) for k, v in build().state_dict().items()} == signature]
        raise ValueError("%s holds the weights of %s, not of %s. Fix: train this model with its config "
                         "(its best weights are saved to checkpoints/<model>.pth)"
                         % (path, owners[0] if owners else "another network", type(model).__name__))
    model.load_state_dict(state)
    return model


# ------------------------------------------------------------------ the solver
class Solver:
    """Train one of the Part 2 models with SGD; keyword arguments as in the module docstring.

    After train(): `history` holds one dict per epoch (the CSV's columns),
    `best` the best test accuracy and `best_class_acc` its per-class accuracies.
    """

    def __init__(self, **kwargs):
        cfg = check_config(kwargs)
        self.config = cfg
        self.path_prefix = cfg["path_prefix"]
        self.imbalance = cfg["imbalance"]
        self.batch_size = cfg["batch_size"]
        self.model_type = cfg["model"]
        self.device = torch.device(cfg["device"])
        self.loss_type = cfg["loss_type"]
        self.lr = cfg["learning_rate"]
        self.momentum = cfg["momentum"]
        self.reg = cfg["reg"]
        self.beta = cfg["beta"]
        self.gamma = cfg["gamma"]
        self.steps = list(cfg["steps"])
        self.epochs = cfg["epochs"]
        self.warmup = cfg["warmup"]
        self.save_best = cfg["save_best"]
        self.run_name = cfg["run_name"] or self.model_type.lower()
        self.run_dir = os.path.join(self.path_prefix, "runs", self.run_name)
        self.checkpoint_path = os.path.join(self.path_prefix, "checkpoints", self.model_type.lower() + ".pth")

        torch.manual_seed(cfg["seed"])
        # shuffling and augmentation draw from their own generator, saved with the resume state
        self.generator = torch.Generator().manual_seed(cfg["seed"])

        # ---- data: uint8 (N, 3, 32, 32) tensors on the device, normalised per batch
        root = os.path.join(self.path_prefix, "data")
        if self.imbalance == "imbalance":
            train_set = Imbalanced_CIFAR10(root, train=True, download=True)
            cls_num_list = train_set.get_cls_num_list()
        else:
            train_set = CIFAR10(root, train=True, download=True)
            cls_num_list = [int(n) for n in torch.bincount(torch.as_tensor(train_set.targets),
                                                           minlength=NUM_CLASSES)]
        test_set = CIFAR10(root, train=False, download=True)
        self.cls_num_list = cls_num_list
        self.train_x, self.train_y = self._to_tensors(train_set)
        self.test_x, self.test_y = self._to_tensors(test_set)
        std = torch.tensor(STD, device=self.device).view(1, 3, 1, 1)
        self.scale = 1.0 / (255.0 * std)
        self.shift = -torch.tensor(MEAN, device=self.device).view(1, 3, 1, 1) / std

        # ---- model, loss, optimiser
        self.crop_padding = cfg["crop_padding"]
        self.memory_format = torch.channels_last if cfg["channels_last"] else torch.contiguous_format
        self.model = MODELS[self.model_type]().to(self.device, memory_format=self.memory_format)
        if not any(True for _ in self.model.parameters()):  # e.g. the starter's empty __init__
            raise NotImplementedError("%s has no parameters: define its layers in its __init__ (models/)"
                                      % type(self.model).__name__)
        if self.loss_type == "Focal":
            weight = reweight(cls_num_list, beta=self.beta).to(self.device)
            self.criterion = FocalLoss(weight=weight, gamma=self.gamma)
        else:
            self.criterion = nn.CrossEntropyLoss(label_smoothing=cfg["label_smoothing"])
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=self.lr, momentum=self.momentum,
                                         weight_decay=self.reg, nesterov=cfg["nesterov"])
        # mixed precision: bfloat16 needs no loss scaling; float16 (CUDA) does
        self.amp_dtype = None
        if cfg["amp"] and self.device.type in ("cpu", "cuda"):
            self.amp_dtype = torch.bfloat16 if self.device.type == "cpu" else torch.float16
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp_dtype == torch.float16)

        self.history = []
        self.best = 0.0
        self.best_class_acc = None
        self.best_epoch = 0
        self.start_epoch = 0

    def _to_tensors(self, dataset):
        x = torch.from_numpy(dataset.data).permute(0, 3, 1, 2).contiguous()  # HWC -> CHW, uint8
        y = torch.as_tensor(dataset.targets, dtype=torch.long)
        return x.to(self.device), y.to(self.device)

    # -------------------------------------------------------------- batches
    def _normalise(self, x):
        """uint8 (N, 3, H, W) -> normalised float32 in the model's memory format."""
        x = x.float().mul_(self.scale).add_(self.shift)  # (x / 255 - mean) / std
        return x.contiguous(memory_format=self.memory_format)

    def _augment(self, x):
        """Random crop (padding p = crop_padding, zeros) and horizontal flip, in one gather.

        Each image gets its own offsets (uniform in 0..2p, as RandomCrop(32, padding=p))
        and a coin flip (as RandomHorizontalFlip()); flipping reverses the column index.
        The random numbers come from self.generator on the CPU, so a run is the same
        on every device.

        Shape:
        - x: (N, C, H, W) uint8; output: same
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

    def _autocast(self):
        return torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp_dtype is not None)

    # -------------------------------------------------------------- schedule
    def _learning_rate(self, epoch, step, steps_per_epoch):
        """Learning rate of iteration `step` (0-based) of epoch `epoch` (0-based)."""
        it = epoch * steps_per_epoch + step
        warm_its = self.warmup * steps_per_epoch
        if it < warm_its:
            return self.lr * (it + 1) / warm_its
        schedule = self.config["schedule"]
        if schedule == "step":
            decay = self.config["lr_decay"]
            if epoch >= self.steps[1]:
                return self.lr * decay ** 2
            if epoch >= self.steps[0]:
                return self.lr * decay
            return self.lr
        progress = (it - warm_its) / max(1, self.epochs * steps_per_epoch - warm_its)
        if schedule == "cosine":
            return self.lr * 0.5 * (1 + math.cos(math.pi * progress))
        return self.lr * (1 - progress)  # "linear"

    # -------------------------------------------------------------- one step
    def _compute_loss_update_params(self, data, target):
        """Forward a batch; when the model is in training mode, also update the parameters.

        Inputs:
        - data: (N, 3, 32, 32) float tensor of normalised images, on self.device
        - target: (N,) long tensor of class indices

        Returns a tuple of:
        - output: (N, 10) class scores
        - loss: scalar tensor, self.criterion(output, target)

        In training mode: reset the gradients, back-propagate the loss and take one
        optimiser step. Otherwise: no gradients at all (torch.no_grad()).
        Run the forward pass (model and loss) inside `with self._autocast():` (mixed
        precision when amp is on, a no-op otherwise), and back-propagate through
        `self.scaler` (it scales float16 losses and is a no-op otherwise):
        self.scaler.scale(loss).backward(); self.scaler.step(self.optimizer); self.scaler.update().
        """
        output, loss = None, None
        # BEGIN SOLUTION: forward the batch; in training mode also back-propagate and step
        if self.model.training:
            with self._autocast():
                output = self.model(data)
                loss = self.criterion(output, target)
            self.optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            with torch.no_grad(), self._autocast():
                output = self.model(data)
                loss = self.criterion(output, target)
        # END SOLUTION
        return output, loss

    # -------------------------------------------------------------- epochs
    def _train_batch(self, idx):
        """One training step on the training images `idx`; returns (target, output, loss)."""
        data = self._normalise(self._augment(self.train_x.index_select(0, idx)))
        target = self.train_y.index_select(0, idx)
        output, loss = self._compute_loss_update_params(data, target)
        return target, output, loss

    def _train_epoch(self, epoch, bar):
        self.model.train()
        n = len(self.train_y)
        steps_per_epoch = math.ceil(n / self.batch_size)
        order = torch.randperm(n, generator=self.generator).to(self.device)
        loss_sum, correct, lr = 0.0, 0, self.lr
        for step in range(steps_per_epoch):
            lr = self._learning_rate(epoch, step, steps_per_epoch)
            for group in self.optimizer.param_groups:
                group["lr"] = lr
            target, output, loss = self._train_batch(order[step * self.batch_size:(step + 1) * self.batch_size])
            loss_value = loss.item()
            if not math.isfinite(loss_value):
                raise FloatingPointError(
                    "the training loss became %s at epoch %d, step %d of %d; training stopped and the "
                    "last good checkpoints are kept (%s, %s). Fix: lower learning_rate or use warmup."
                    % (loss_value, epoch + 1, step + 1, steps_per_epoch, self.checkpoint_path,
                       os.path.join(self.run_dir, "last.pth")))
            loss_sum += loss_value * len(target)
            correct += (output.argmax(1) == target).sum().item()
            bar.update(1)
            bar.set_postfix(loss="%.3f" % loss_value, lr="%.3g" % lr, refresh=False)
        return lr, loss_sum / n, correct / n

    def evaluate(self, batch_size=500):
        """Loss, top-1 accuracy and confusion matrix (true x predicted) on the test set."""
        self.model.eval()
        loss_sum = 0.0
        confusion = torch.zeros(NUM_CLASSES * NUM_CLASSES, dtype=torch.long, device=self.device)
        for start in range(0, len(self.test_y), batch_size):
            data = self._normalise(self.test_x[start:start + batch_size])
            target = self.test_y[start:start + batch_size]
            output, loss = self._compute_loss_update_params(data, target)
            loss_sum += loss.item() * len(target)
            confusion += torch.bincount(target * NUM_CLASSES + output.argmax(1), minlength=NUM_CLASSES ** 2)
        confusion = confusion.view(NUM_CLASSES, NUM_CLASSES).cpu()
        acc = confusion.diag().sum().item() / len(self.test_y)
        return loss_sum / len(self.test_y), acc, confusion

    def train(self):
        """Run the remaining epochs; returns the best test accuracy."""
        os.makedirs(self.run_dir, exist_ok=True)
        if self.save_best:
            os.makedirs(os.path.dirname(self.checkpoint_path), exist_ok=True)
        if self.config["resume"]:
            self._load_state()
        self._write_csv()  # a fresh run starts an empty file; a resumed one drops rows past the state
        quiet = os.environ.get("TQDM_DISABLE", "") not in ("", "0")
        steps_per_epoch = math.ceil(len(self.train_y) / self.batch_size)
        for epoch in range(self.start_epoch, self.epochs):
            start = time.perf_counter()
            with tqdm(total=steps_per_epoch, desc="epoch %d/%d" % (epoch + 1, self.epochs),
                      disable=quiet, leave=True, file=sys.stderr) as bar:
                lr, train_loss, train_acc = self._train_epoch(epoch, bar)
                row = {"epoch": epoch + 1, "lr": lr, "train_loss": train_loss, "train_acc": train_acc}
                if (epoch + 1) % self.config["test_every"] == 0 or epoch + 1 == self.epochs:
                    test_loss, test_acc, confusion = self.evaluate()
                    class_acc = (confusion.diag().float() / confusion.sum(1).clamp(min=1).float()).tolist()
                    row.update(test_loss=test_loss, test_acc=test_acc)
                    row.update({"class_acc_%d" % c: a for c, a in enumerate(class_acc)})
                    self._write_confusion(confusion)
                    if test_acc > self.best:
                        self.best, self.best_class_acc, self.best_epoch = test_acc, class_acc, epoch + 1
                        if self.save_best:
                            _atomic_save({k: v.contiguous() for k, v in self.model.state_dict().items()},
                                         self.checkpoint_path)
                    bar.set_postfix(train_acc="%.3f" % train_acc, test_acc="%.4f" % test_acc,
                                    best="%.4f" % self.best)
                else:
                    bar.set_postfix(train_acc="%.3f" % train_acc)
            row["seconds"] = time.perf_counter() - start
            self.history.append(row)
            self._write_csv()
            self._save_state(epoch + 1)
        return self.best

    # -------------------------------------------------------------- records
    def _write_csv(self):
        """Rewrite runs/<run name>/metrics.csv from self.history (atomically)."""
        path = os.path.join(self.run_dir, "metrics.csv")
        with open(path + ".tmp", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            for row in self.history:
                writer.writerow(["" if row.get(k) is None else
                                 ("%d" % row[k] if k == "epoch" else "%.6g" % row[k]) for k in CSV_COLUMNS])
        os.replace(path + ".tmp", path)

    def _write_confusion(self, confusion):
        """runs/<run name>/confusion.csv: the last evaluation's 10x10 counts, rows = true class, no header."""
        path = os.path.join(self.run_dir, "confusion.csv")
        with open(path + ".tmp", "w", newline="") as f:
            csv.writer(f).writerows(confusion.tolist())
        os.replace(path + ".tmp", path)

    def _save_state(self, epochs_done):
        state = {
            "model_name": self.model_type, "epoch": epochs_done,
            "model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
            "scaler": self.scaler.state_dict(),
            "best": self.best, "best_class_acc": self.best_class_acc, "best_epoch": self.best_epoch,
            "history": self.history,
            "rng": torch.get_rng_state(), "generator": self.generator.get_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if self.device.type == "cuda" else None,
        }
        _atomic_save(state, os.path.join(self.run_dir, "last.pth"))

    def _load_state(self):
        """Restore runs/<run name>/last.pth if it exists (else the run starts from scratch)."""
        path = os.path.join(self.run_dir, "last.pth")
        if not os.path.exists(path):
            return
        # on the CPU: the RNG states must stay CPU tensors; load_state_dict moves the rest
        state = torch.load(path, map_location="cpu", weights_only=True)
        if state.get("model_name") != self.model_type:
            raise ValueError("cannot resume: %s was saved for model %r, but this run trains %r. Fix: use "
                             "another run_name, or delete that file to start over."
                             % (path, state.get("model_name"), self.model_type))
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scaler.load_state_dict(state["scaler"])
        self.best, self.best_class_acc, self.best_epoch = state["best"], state["best_class_acc"], state["best_epoch"]
        self.history = [row for row in state["history"] if row["epoch"] <= state["epoch"]]
        torch.set_rng_state(state["rng"])
        self.generator.set_state(state["generator"])
        if state["cuda_rng"] is not None and self.device.type == "cuda":
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        self.start_epoch = state["epoch"]


def main(argv=None):
    p = argparse.ArgumentParser(description="Train a Part 2 model from a YAML config.")
    p.add_argument("--config", required=True, help="e.g. configs/config_resnet32.yaml")
    p.add_argument("--device", default=None, help="override the config's device (cpu, cuda, mps)")
    p.add_argument("--resume", action="store_true", help="continue from runs/<config name>/last.pth")
    p.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                   help="override config keys, e.g. --set epochs=2 amp=true")
    args = p.parse_args(argv)
    import yaml
    kwargs = load_config(args.config)
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            p.error("--set expects KEY=VALUE, got %r" % item)
        kwargs[key] = yaml.safe_load(value)
    if args.device:
        kwargs["device"] = args.device
    if args.resume:
        kwargs["resume"] = True
    solver = Solver(**kwargs)
    best = solver.train()
    print("%s: best test accuracy %.4f (epoch %d)%s" % (
        solver.run_name, best, solver.best_epoch,
        "; weights in " + solver.checkpoint_path if solver.save_best else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
