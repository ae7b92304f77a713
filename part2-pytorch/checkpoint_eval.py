"""Test accuracy of a checkpoint on the CIFAR-10 test set: the staff's one evaluator.

    python checkpoint_eval.py                       # the three graded checkpoints
    python checkpoint_eval.py checkpoints/mymodel.pth --json

Staff only (make_starter ships it to no one: it is not in manifest.json's "ship" list).
The report (tools/report/mymodel_eval.py), the grading corpus (tools/autograder/corpus/
checks.py) and the staff tests measure a checkpoint with it. It measures what the
Solver and the public tests measure: the model built as the Solver builds it, the
weights loaded with weights_only=True, eval() mode, the 10,000 test images of the
content-checked CIFAR-10 (data.CIFAR10) through the course's test transform (ToTensor,
then Normalize with the course's mean and std), top-1.

The grader keeps its own evaluator (tools/autograder/gtests/part2/cifar_eval.py): it
never imports staff or student code to judge. tools/tests/test_checkpoint_eval.py
checks that both count the same correct predictions on the committed checkpoints.

The models are imported only when a checkpoint is loaded by name (load_model), so a
caller that builds its own model (the corpus builds a student-like one) can use
evaluate() with whatever `models` package is first on its path.
"""
import argparse
import json
import os
import sys
from typing import List, NamedTuple

import torch
import torchvision.transforms as transforms

import train_utils
from data import CIFAR10  # torchvision's CIFAR10, checked by content

HERE = os.path.dirname(os.path.abspath(__file__))
# The course's normalisation (solver.py's test transform); staff code reads it from train_utils.
MEAN, STD = train_utils.MEAN, train_utils.STD
# The Solver's models; the first three have graded checkpoints (model name lower-cased + ".pth").
NAMES = ("TwoLayerNet", "VanillaCNN", "MyModel", "ResNet-32")
GRADED = NAMES[:3]
_test_sets = {}  # root -> (images, labels): read once per process


class Accuracy(NamedTuple):
    """Correct predictions, overall and per class (class_correct[c] of class_total[c])."""
    correct: int
    total: int
    class_correct: List[int]
    class_total: List[int]

    @property
    def accuracy(self):
        return self.correct / self.total


def build_model(name):
    """A fresh, untrained model of the kit, built as the Solver builds `name`."""
    from models import MyModel, TwoLayerNet, VanillaCNN, resnet32
    makers = {"TwoLayerNet": lambda: TwoLayerNet(3072, 256, 10), "VanillaCNN": VanillaCNN,
              "MyModel": MyModel, "ResNet-32": resnet32}
    if name not in makers:
        raise ValueError("unknown model %r; expected one of %s" % (name, ", ".join(NAMES)))
    return makers[name]()


def checkpoint_path(name, folder=None):
    """Where the Solver saves the best weights of `name`: checkpoints/<name lower-cased>.pth."""
    return os.path.join(folder or os.path.join(HERE, "checkpoints"), name.lower() + ".pth")


def model_name(path):
    """The model whose checkpoint `path` is, from its file name (mymodel.pth -> MyModel)."""
    stem = os.path.splitext(os.path.basename(path))[0]
    for name in NAMES:
        if name.lower() == stem:
            return name
    raise ValueError("cannot tell the model of %s from its name; the Solver saves twolayernet.pth, "
                     "vanillacnn.pth, mymodel.pth or resnet-32.pth (or pass the model's name)" % path)


def load_model(path, name=None):
    """The model `name` (default: from the file name) with the weights of `path`, in eval() mode."""
    model = build_model(name or model_name(path))
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model.eval()


def load_test_set(root=None):
    """The test set through the course's test transform.

    Inputs:
    - root: the folder holding cifar-10-batches-py (default: data/ beside this file, the
      Solver's "./data" when run from part2-pytorch)

    Returns (images, labels): float32 (10000, 3, 32, 32) normalised, int64 (10000,).
    Raises RuntimeError (from data.CIFAR10) if the data is missing or fails its content check.
    """
    root = os.path.abspath(root or os.path.join(HERE, "data"))
    if root not in _test_sets:
        transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
        dataset = CIFAR10(root=root, train=False, download=False, transform=transform)
        images = torch.stack([dataset[i][0] for i in range(len(dataset))])
        _test_sets[root] = images, torch.as_tensor(dataset.targets, dtype=torch.int64)
    return _test_sets[root]


def evaluate(model, root=None, batch_size=500):
    """Accuracy of `model` (put in eval() mode here) on the CIFAR-10 test set in `root`."""
    images, labels = load_test_set(root)
    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(images[i:i + batch_size]).argmax(1)
                               for i in range(0, len(labels), batch_size)])
    hit = predicted == labels
    class_total = torch.bincount(labels, minlength=10)
    class_correct = torch.bincount(labels[hit], minlength=10)
    return Accuracy(int(hit.sum()), len(labels), class_correct.tolist(), class_total.tolist())


def evaluate_checkpoint(path, name=None, root=None):
    """Accuracy of the checkpoint `path` (model `name`, default from the file name)."""
    return evaluate(load_model(path, name), root)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("checkpoints", nargs="*", help="default: the three graded checkpoints")
    p.add_argument("--model", help="the model's name if the file name does not say it")
    p.add_argument("--data", help="folder holding cifar-10-batches-py (default: data/ here)")
    p.add_argument("--json", action="store_true", help="print {checkpoint: result} as JSON")
    args = p.parse_args(argv)
    paths = args.checkpoints or [checkpoint_path(name) for name in GRADED]
    found = {}
    for path in paths:
        if not os.path.isfile(path):
            print("error: no checkpoint %s (train the model first)" % path, file=sys.stderr)
            return 1
        found[path] = evaluate_checkpoint(path, args.model, args.data)
        if not args.json:
            r = found[path]
            print("%s: %.2f%% (%d/%d)" % (path, 100 * r.accuracy, r.correct, r.total))
    if args.json:
        print(json.dumps({path: r._asdict() for path, r in found.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
