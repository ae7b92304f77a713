"""Probes of Part 2: the student's losses, models, checkpoints and training step on the grader's inputs.

Each probe is probe(args, arrays, call) -> dict of results; tensors go back as float64
arrays, plus a few plain values (flags, names). Nothing here knows what the results
should be.
"""
import importlib
import json
import os

import numpy as np
import torch
import torch.nn as nn

from runner import ProbeFailure

torch.set_num_threads(1)


def _student(module, name):
    mod = importlib.import_module(module)
    if not hasattr(mod, name):
        raise ProbeFailure("%s.py has no %s (keep the names of the starter code)"
                           % (module.replace(".", "/"), name))
    return getattr(mod, name)


def _tensor(a, dtype=torch.float32):
    return torch.from_numpy(np.ascontiguousarray(a)).to(dtype)


# ---------------------------------------------------------------- losses
def reweight(args, a, call):
    fn = _student("losses.focal_loss", "reweight")
    counts = [int(n) for n in args["counts"]]
    w = call("reweight(%s, beta=%g)" % (counts, args["beta"]), fn, counts, beta=args["beta"])
    return dict(weights=w, is_tensor=bool(torch.is_tensor(w)))


def focal(args, a, call):
    """FocalLoss in float32 (as the Solver uses it): the loss and, if asked, d loss / d input."""
    FocalLoss = _student("losses.focal_loss", "FocalLoss")
    weight = _tensor(a["weight"]) if "weight" in a else None
    what = "FocalLoss(weight=%s, gamma=%g)" % ("None" if weight is None else "<%d class weights>"
                                               % len(weight), args["gamma"])
    crit = call(what, FocalLoss, weight=weight, gamma=args["gamma"])
    x = _tensor(a["logits"]).requires_grad_(True)
    target = torch.from_numpy(a["target"]).long()
    loss = call("%s(input of shape %s, target of shape %s)" % (what, tuple(x.shape),
                                                               tuple(target.shape)), crit, x, target)
    if not torch.is_tensor(loss):
        raise ProbeFailure("%s returned a %s; expected a scalar tensor" % (what, type(loss).__name__))
    if loss.numel() != 1:
        raise ProbeFailure("%s returned a tensor of shape %s; expected a scalar (one number)"
                           % (what, tuple(loss.shape)))
    res = dict(loss=loss.reshape(()), requires_grad=bool(loss.requires_grad))
    if args.get("grad") and loss.requires_grad:
        call("backward() of the loss of %s" % what, loss.backward)
        if x.grad is not None:
            res["grad"] = x.grad
    return res


# ---------------------------------------------------------------- models
def _build(args, call):
    cls = _student(args["module"], args["cls"])
    torch.manual_seed(0)
    model = call("%s(%s)" % (args["cls"], ", ".join(str(v) for v in args.get("ctor", []))),
                 cls, *args.get("ctor", []))
    if not isinstance(model, nn.Module):
        raise ProbeFailure("%s() built a %s, not an nn.Module" % (args["cls"], type(model).__name__))
    return model


def _forward(model, x, what, call):
    with torch.no_grad():
        out = call("%s.forward(x of shape %s)" % (what, tuple(x.shape)), model, x)
    if not torch.is_tensor(out):
        raise ProbeFailure("%s.forward returned a %s, not a tensor of scores"
                           % (what, type(out).__name__))
    return out


def model_params(args, a, call):
    """Parameter names and shapes after one forward pass (lazy layers exist only then)."""
    model = _build(args, call)
    model.eval()
    out = _forward(model, _tensor(a["x"]), args["cls"], call)
    named = list(model.named_parameters())
    return dict(out_shape=np.array(out.shape, dtype=np.int64), names="\n".join(n for n, _ in named),
                shapes=json.dumps([list(p.shape) for _, p in named]))


def model_forward(args, a, call):
    """The model's output in float64 with the grader's parameter values, in eval mode."""
    model = _build(args, call)
    model.eval()
    _forward(model, _tensor(a["x"]), args["cls"], call)  # materialises lazy layers
    model.double()
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name in args["names"]:
            if name not in params:
                raise ProbeFailure("%s has no parameter %s any more" % (args["cls"], name))
            params[name].copy_(_tensor(a["p:" + name], torch.float64))
    return dict(out=_forward(model, _tensor(a["x"], torch.float64), args["cls"], call))


def checkpoint_scores(args, a, call):
    """Scores of the model loaded from the student's checkpoint on the grader's images."""
    path = args["checkpoint"]
    if not os.path.isfile(path):
        raise ProbeFailure("your submission has no %s" % path)
    model = _build(args, call)
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001
        raise ProbeFailure("cannot read %s as a state_dict saved by torch.save (loaded with "
                           "weights_only=True): %s" % (path, str(e)[:300]))
    try:
        model.load_state_dict(state)
    except Exception as e:  # noqa: BLE001
        raise ProbeFailure("%s does not fit the model built by your code (did you change the "
                           "model after training?): %s" % (path, str(e)[:600]))
    model.eval()
    images = np.load(args["images"], mmap_mode="r")
    scores = []
    for i in range(0, len(images), 500):
        x = torch.from_numpy(np.array(images[i:i + 500]))
        out = _forward(model, x, args["cls"], call)
        if tuple(out.shape) != (len(x), 10):
            raise ProbeFailure("%s returned scores of shape %s for a batch of %d images; expected "
                               "(%d, 10)" % (args["cls"], tuple(out.shape), len(x), len(x)))
        scores.append(out.float().numpy())
    return dict(scores=np.concatenate(scores).astype(np.float32))


# ---------------------------------------------------------------- the Solver's step
def _net(a):
    net = nn.Sequential(nn.Flatten(), nn.Linear(a["w1"].shape[1], a["w1"].shape[0]), nn.ReLU(),
                        nn.Linear(a["w2"].shape[1], a["w2"].shape[0]))
    with torch.no_grad():
        for layer, w, b in ((net[1], "w1", "b1"), (net[3], "w2", "b2")):
            layer.weight.copy_(_tensor(a[w]))
            layer.bias.copy_(_tensor(a[b]))
    return net


def solver_step(args, a, call):
    """Solver._compute_loss_update_params on a small network, cross-entropy and SGD set up here.

    The Solver is not constructed (its __init__ is given code that loads CIFAR-10 and
    prints): the attributes the method uses are set on a bare instance, as __init__ would.
    """
    Solver = _student("solver", "Solver")
    net = _net(a)
    solver = Solver.__new__(Solver)
    solver.model = net
    solver.criterion = nn.CrossEntropyLoss()
    solver.optimizer = torch.optim.SGD(net.parameters(), args["lr"], momentum=args["momentum"],
                                       weight_decay=args["reg"])
    solver.device = torch.device("cpu")
    solver.lr, solver.momentum, solver.reg = args["lr"], args["momentum"], args["reg"]
    # this kit's Solver also has mixed precision (off) and a gradient scaler (a no-op)
    solver.amp_dtype = None
    solver.scaler = torch.amp.GradScaler("cuda", enabled=False)
    solver.memory_format = torch.contiguous_format
    net.train(args["mode"] == "train")
    res = {}
    for step in range(args["steps"]):
        x, y = _tensor(a["x%d" % step]), torch.from_numpy(a["y%d" % step]).long()
        result = call("Solver._compute_loss_update_params(data of shape %s, target of shape %s) "
                      "in %s mode" % (tuple(x.shape), tuple(y.shape),
                                      "training" if net.training else "eval"),
                      solver._compute_loss_update_params, x, y)
        if not isinstance(result, tuple) or len(result) != 2:
            raise ProbeFailure("Solver._compute_loss_update_params returned a %s; expected the "
                               "tuple (output, loss)" % type(result).__name__)
        out, loss = result
        if not torch.is_tensor(out) or not torch.is_tensor(loss) or loss.numel() != 1:
            raise ProbeFailure("Solver._compute_loss_update_params returned (%s, %s); expected "
                               "(output tensor, scalar loss tensor)"
                               % (type(out).__name__, type(loss).__name__))
        res["out%d" % step] = out
        res["loss%d" % step] = loss.reshape(1)
        res["out_requires_grad%d" % step] = bool(out.requires_grad)
        for name, p in net.named_parameters():
            res["p%d:%s" % (step, name)] = p.detach().clone()
    return res
