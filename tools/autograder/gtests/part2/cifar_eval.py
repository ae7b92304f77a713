"""Top-1 accuracy of a checkpoint on the real CIFAR-10 test set (10,000 images).

The grader reads the test set itself, checks it by content (SHA_IMAGES and SHA_LABELS
below: SHA-256 of the decoded pixels and labels, as in part1-convnet/cs7643/fetch.py)
every time it grades, and gives the runner the normalised images only: the labels never
leave this process, so the student's code can neither read nor change what it is graded
against.

Staff option (--checkpoint-cache DIR): reuse an accuracy computed before for the same
checkpoint file and the same model source files (keyed by the SHA-256 of both).
"""
import hashlib
import io
import json
import os
import pickle
import re

import numpy as np

from grader.framework import memo, note, probe

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2023, 0.1994, 0.2010)
SHA_IMAGES = "177777c33ba79825320efa646ad04a94bdc3c80e4ebe3bd21724f8cdfd4b9d56"  # (10000, 3072) uint8
SHA_LABELS = "cec8a24a1e92aa2ecaa0bbd3dbfa86bf6cd8759fbd209a832824c8cf0afca9d5"  # (10000,) uint8
_state = dict(labels=None, cache=None, used=[])


class _ArraysOnly(pickle.Unpickler):
    """Unpickle CIFAR's batch dict without running anything: only NumPy arrays and builtins."""
    ALLOWED = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
               ("numpy", "ndarray"), ("numpy", "dtype"), ("builtins", "bytes")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError("unexpected object %s.%s in the test set file" % (module, name))


def load_test_set(folder):
    """(normalised float32 images (10000, 3, 32, 32), int64 labels) after the content check."""
    path = os.path.join(folder or "", "test_batch")
    if not os.path.isfile(path):
        raise RuntimeError("grader problem: no CIFAR-10 test set at %r (set --data)" % path)
    with open(path, "rb") as f:
        batch = _ArraysOnly(io.BytesIO(f.read()), encoding="latin1").load()
    data = np.ascontiguousarray(np.asarray(batch["data"], dtype=np.uint8))
    labels = np.asarray(batch["labels"], dtype=np.uint8)
    if (data.shape != (10000, 3072) or hashlib.sha256(data.tobytes()).hexdigest() != SHA_IMAGES
            or hashlib.sha256(labels.tobytes()).hexdigest() != SHA_LABELS):
        raise RuntimeError("grader problem: the CIFAR-10 test set at %s fails its content check "
                           "(SHA-256 of the pixels and labels); fetch it again" % path)
    x = data.reshape(-1, 3, 32, 32).astype(np.float32) / 255.0
    x = (x - np.array(MEAN, np.float32)[:, None, None]) / np.array(STD, np.float32)[:, None, None]
    _state["labels"] = labels.astype(np.int64)
    return x.astype(np.float32), _state["labels"]


def configure(cache_dir):
    _state["cache"], _state["used"] = cache_dir, []


def cache_report():
    if not _state["used"]:
        return []
    return ["Staff checkpoint cache (%s): reused the accuracy of %s." % (_state["cache"],
                                                                        ", ".join(_state["used"]))]


def _cache_key(checkpoint, module, cls):
    """SHA-256 of the checkpoint, the class name, the model's file, models/__init__.py and every
    models/ file the model's file imports (run with the submission folder as working directory)."""
    h = hashlib.sha256(cls.encode())
    with open(checkpoint, "rb") as f:
        h.update(hashlib.sha256(f.read()).digest())
    own = module.split(".")[-1] + ".py"
    with open(os.path.join("models", own), "rb") as f:
        text = f.read().decode("utf-8", "replace")
    imported = set()
    for line in text.splitlines():
        if re.match(r"\s*(from|import)\b", line):
            imported.update(re.findall(r"\w+", line))
    names = [own, "__init__.py"] + sorted(n for n in os.listdir("models")
                                          if n.endswith(".py") and n[:-3] in imported)
    for name in names:
        path = os.path.join("models", name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                h.update(name.encode() + hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def _accuracy(module, cls, ctor, checkpoint, root):
    key = path = None
    if _state["cache"] and os.path.isfile(os.path.join(root, checkpoint)):
        cwd = os.getcwd()
        try:
            os.chdir(root)
            key = _cache_key(checkpoint, module, cls)
        finally:
            os.chdir(cwd)
        path = os.path.join(_state["cache"], key + ".json")
        if os.path.isfile(path):
            with open(path) as f:
                acc = float(json.load(f)["accuracy"])
            _state["used"].append(checkpoint)
            return acc, True
    got = probe("checkpoint_scores", dict(module=module, cls=cls, ctor=ctor, checkpoint=checkpoint,
                                          images="../in/test_images.npy"))
    scores, labels = got["scores"], _state["labels"]
    if scores.shape != (len(labels), 10):
        raise AssertionError("%s: got scores of shape %s for the %d test images; expected (%d, 10)"
                             % (checkpoint, scores.shape, len(labels), len(labels)))
    acc = float((scores.argmax(1) == labels).mean())
    if path is not None:
        os.makedirs(_state["cache"], exist_ok=True)
        tmp = path + ".%d.tmp" % os.getpid()
        with open(tmp, "w") as f:
            json.dump(dict(accuracy=acc, checkpoint=checkpoint, model=cls), f)
        os.replace(tmp, path)
    return acc, False


def accuracy(key, module, cls, ctor, checkpoint, root):
    """Accuracy of the student's model `cls` loaded from `checkpoint`, computed once per grading."""
    acc, cached = memo(("accuracy", key), lambda: _accuracy(module, cls, ctor, checkpoint, root))
    if cached:
        note("(accuracy of %s reused from the staff checkpoint cache)" % checkpoint)
    return acc
