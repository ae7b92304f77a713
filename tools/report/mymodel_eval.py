"""Test accuracy of part2-pytorch/checkpoints/mymodel.pth for the report.

Measured by Part 2's staff evaluator (part2-pytorch/checkpoint_eval.py: MyModel() loaded
with weights_only=True, eval() mode, the 10000 content-checked CIFAR-10 test images
through the course's test transform), run in its own process from the part2-pytorch
folder so that Part 2's packages (models, data) never enter this one. The result is
cached in dist/report/mymodel_eval.json under the SHA-256 of the checkpoint and of
models/my_model.py, so `make report` pays for it (minutes on a busy 2-core CPU) only
when one of them changes.
"""
import hashlib
import json
import os
import subprocess
import sys

from ..atomic import write_text


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def evaluate(part2):
    """(correct, total) of checkpoints/mymodel.pth on the test set, by checkpoint_eval.py."""
    ckpt = os.path.join("checkpoints", "mymodel.pth")
    proc = subprocess.run([sys.executable, "checkpoint_eval.py", "--json", ckpt], cwd=part2,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["exit status %d" % proc.returncode])[-1])
    result = json.loads(proc.stdout.strip().splitlines()[-1])[ckpt]
    return result["correct"], result["total"]


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
