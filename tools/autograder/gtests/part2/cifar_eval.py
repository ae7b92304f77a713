"""Top-1 accuracy of a checkpoint on the real CIFAR-10 test set (10,000 images).

The test set is read straight from the pickled batch and normalised with the
course's mean and std: the transform the students' test set goes through.
Each checkpoint is evaluated once per grading process (framework.memo).
"""
import os
import pickle

import numpy as np
import torch

from grader.framework import memo

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2023, 0.1994, 0.2010)


def test_set():
    """(images (10000, 3, 32, 32) float32 normalised, labels (10000,) long), loaded once."""
    def load():
        folder = os.environ.get("CS7643_GRADER_DATA") or ""
        path = os.path.join(folder, "test_batch")
        if not os.path.isfile(path):
            raise RuntimeError("grader problem: no CIFAR-10 test set at %r (set --data)" % path)
        with open(path, "rb") as f:
            batch = pickle.load(f, encoding="latin1")
        x = np.asarray(batch["data"], dtype=np.float32).reshape(-1, 3, 32, 32) / 255.0
        x = (x - np.array(MEAN, np.float32)[:, None, None]) / np.array(STD, np.float32)[:, None, None]
        return torch.from_numpy(x), torch.as_tensor(batch["labels"], dtype=torch.long)
    return memo("cifar10-test", load)


def _accuracy(build, checkpoint):
    if not os.path.isfile(checkpoint):
        raise AssertionError("your submission has no %s" % checkpoint)
    model = build()
    try:
        state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001
        raise AssertionError("cannot read %s as a state_dict saved by torch.save "
                             "(loaded with weights_only=True): %s" % (checkpoint, e))
    try:
        model.load_state_dict(state)
    except Exception as e:  # noqa: BLE001
        raise AssertionError("%s does not fit the model built by your code (did you change the "
                             "model after training?): %s" % (checkpoint, str(e)[:600]))
    model.eval()
    x, y = test_set()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), 500):
            out = model(x[i:i + 500])
            if tuple(out.shape) != (len(y[i:i + 500]), 10):
                raise AssertionError("the model returned scores of shape %s for a batch of %d "
                                     "images; expected (%d, 10)"
                                     % (tuple(out.shape), len(y[i:i + 500]), len(y[i:i + 500])))
            correct += (out.argmax(1) == y[i:i + 500]).sum().item()
    return correct / len(y)


def accuracy(key, build, checkpoint):
    """Accuracy of the model build() loaded from `checkpoint`, computed once per process."""
    return memo(("accuracy", key), lambda: _accuracy(build, checkpoint))
