"""Test accuracy of part2-pytorch/checkpoints/mymodel.pth, the way the grader measures it.

`MyModel()` loaded with `weights_only=True`, in eval() mode, on the 10000 CIFAR-10
test images normalised with the mean and std of the course's test files (the Normalize in
part2-pytorch/tests/test_mymodel.py; no other transform). The result is cached in
dist/report/mymodel_eval.json under the SHA-256 of the checkpoint and of
models/my_model.py, so `make report` pays for it (about 4 minutes on a busy 2-core CPU)
only when one of them changes.
"""
import hashlib
import json
import os
import pickle

from ..atomic import write_text
from ..paths import import_from

MEAN, STD = (0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_test_set(part2):
    """(images float32 (10000, 3, 32, 32) normalised, labels int64 (10000,)) as torch tensors."""
    import numpy as np
    import torch

    # "./data" is where Part 2's tests read it; data/cifar10 where its notebook downloads it
    candidates = [os.path.join(part2, "data", sub, "cifar-10-batches-py", "test_batch") for sub in ("", "cifar10")]
    path = next((p for p in candidates if os.path.isfile(p)), None)
    if path is None:
        raise FileNotFoundError("%s not found: run `make data` first" % " or ".join(candidates))
    with open(path, "rb") as f:
        # latin1 gives str keys both for the official (Python 2) pickles and for rebuilt ones
        batch = pickle.load(f, encoding="latin1")
    x = torch.from_numpy(np.asarray(batch["data"], dtype=np.uint8).reshape(-1, 3, 32, 32))
    x = (x.float() / 255 - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)
    return x, torch.tensor(batch["labels"], dtype=torch.int64)


def evaluate(part2, batch_size=500):
    """(correct, total) of checkpoints/mymodel.pth on the test set."""
    import torch

    MyModel = import_from(part2, "models", "MyModel")
    model = MyModel()
    state = torch.load(os.path.join(part2, "checkpoints", "mymodel.pth"), map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    model.eval()
    x, y = load_test_set(part2)
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), batch_size):
            correct += (model(x[i:i + batch_size]).argmax(1) == y[i:i + batch_size]).sum().item()
    return correct, len(y)


def evaluate_cached(part2, cache_dir):
    """evaluate(), remembered per checkpoint hash; None (with a reason printed) if it cannot run."""
    ckpt = os.path.join(part2, "checkpoints", "mymodel.pth")
    if not os.path.isfile(ckpt):
        return None
    # the same weights in a changed network give another accuracy: key on both files
    code = os.path.join(part2, "models", "my_model.py")
    digest = sha256(ckpt) + ("+" + sha256(code) if os.path.isfile(code) else "")
    cache = os.path.join(cache_dir, "mymodel_eval.json")
    if os.path.isfile(cache):
        with open(cache) as f:
            saved = json.load(f)
        if saved.get("sha256") == digest:
            return saved["correct"], saved["total"]
    print("report: evaluating %s on the CIFAR-10 test set (minutes on a CPU; cached afterwards)" % ckpt)
    try:
        correct, total = evaluate(part2)
    except Exception as e:  # the report still builds; the slide says it was not evaluated
        print("report: could not evaluate %s: %s: %s" % (ckpt, type(e).__name__, e))
        return None
    os.makedirs(cache_dir, exist_ok=True)
    write_text(cache, json.dumps({"sha256": digest, "correct": correct, "total": total}))
    return correct, total
