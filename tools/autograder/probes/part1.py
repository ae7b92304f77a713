"""Probes of Part 1: build the student's layer, run it on the grader's arrays, return the results.

Each probe is probe(args, arrays, call) -> dict of results. `call(description, fn, *a)`
runs one call of student code, so that an error names the call that failed.
"""
import importlib
import types

import numpy as np

from runner import ProbeFailure, stub_module


def _student(module, name):
    mod = importlib.import_module(module)
    if not hasattr(mod, name):
        raise ProbeFailure("%s.py has no %s (keep the names of the starter code)"
                           % (module.replace(".", "/"), name))
    return getattr(mod, name)


def _shape(a):
    return "of shape %s" % (tuple(a.shape),)


def _snap(value):
    """A copy taken now (later in-place changes must not alter what is sent back)."""
    return value.copy() if hasattr(value, "copy") else value


def _grads(layer, names):
    return {n: _snap(getattr(layer, n, None)) for n in names}


def conv2d(args, a, call):
    """Conv2D forward (and backward) with the grader's weight and bias."""
    Conv2D = _student("modules.convolution", "Conv2D")
    layer = call("Conv2D(%(c)d, %(f)d, kernel_size=%(k)d, stride=%(s)d, padding=%(p)d)" % args,
                 Conv2D, args["c"], args["f"], kernel_size=args["k"], stride=args["s"],
                 padding=args["p"])
    layer.weight, layer.bias = a["weight"].copy(), a["bias"].copy()
    out = call("Conv2D.forward(x %s)" % _shape(a["x"]), layer.forward, a["x"].copy())
    res = dict(out=_snap(out))
    if args.get("backward"):
        call("Conv2D.backward(dout %s)" % _shape(a["dout"]), layer.backward, a["dout"].copy())
        res.update(_grads(layer, ["dx", "dw", "db"]))
        res.update(weight_after=_snap(layer.weight), bias_after=_snap(layer.bias))
    return res


def maxpool(args, a, call):
    MaxPooling = _student("modules.max_pool", "MaxPooling")
    layer = call("MaxPooling(kernel_size=%(k)d, stride=%(s)d)" % args, MaxPooling,
                 kernel_size=args["k"], stride=args["s"])
    out = call("MaxPooling.forward(x %s)" % _shape(a["x"]), layer.forward, a["x"].copy())
    res = dict(out=_snap(out))
    if args.get("backward"):
        call("MaxPooling.backward(dout %s)" % _shape(a["dout"]), layer.backward, a["dout"].copy())
        res["dx"] = _snap(layer.dx)
    return res


def relu(args, a, call):
    ReLU = _student("modules.relu", "ReLU")
    layer = call("ReLU()", ReLU)
    out = call("ReLU.forward(x %s)" % _shape(a["x"]), layer.forward, a["x"].copy())
    res = dict(out=_snap(out))
    if args.get("backward"):
        call("ReLU.backward(dout %s)" % _shape(a["dout"]), layer.backward, a["dout"].copy())
        res["dx"] = _snap(layer.dx)
    return res


def linear(args, a, call):
    Linear = _student("modules.linear", "Linear")
    layer = call("Linear(%(i)d, %(o)d)" % args, Linear, args["i"], args["o"])
    layer.weight, layer.bias = a["weight"].copy(), a["bias"].copy()
    out = call("Linear.forward(x %s)" % _shape(a["x"]), layer.forward, a["x"].copy())
    res = dict(out=_snap(out))
    if args.get("backward"):
        call("Linear.backward(dout %s)" % _shape(a["dout"]), layer.backward, a["dout"].copy())
        res.update(_grads(layer, ["dx", "dw", "db"]))
        res.update(weight_after=_snap(layer.weight), bias_after=_snap(layer.bias))
    return res


# ---------------------------------------------------------------- ConvNet: the wiring only
class _Tape:
    """A stand-in layer: returns the grader's arrays and records what it was given.

    The ConvNet is tested with these instead of the student's layers, so a bug in a
    layer is charged to that layer alone, never again to conv_classifier.py.
    """

    def __init__(self, index, out, dx, log):
        self.index, self._out, self._dx, self.log = index, out, dx, log
        self.dx, self.got_x, self.got_dout = None, None, None

    def forward(self, x, *rest):
        self.log.append(self.index)
        self.got_x = _snap(x)
        return self._out.copy()

    def backward(self, dout=None):
        self.log.append(-1 - self.index)
        self.got_dout = _snap(dout)
        self.dx = self._dx.copy()


class _TapeCriterion(_Tape):
    def __init__(self, probs, loss, dx, log):
        super().__init__(99, None, dx, log)
        self._probs, self._loss, self.got_y = probs, loss, None

    def forward(self, x, y=None):
        self.log.append(99)
        self.got_x, self.got_y = _snap(x), _snap(y)
        return self._probs.copy(), float(self._loss)


def _convnet(a, log):
    # conv_classifier.py imports the layer files; stand-ins keep their bugs out of this test
    for module, name in (("convolution", "Conv2D"), ("relu", "ReLU"), ("max_pool", "MaxPooling"),
                         ("linear", "Linear"), ("softmax_ce", "SoftmaxCrossEntropy")):
        stub_module("modules." + module, **{name: type(name, (), {})})
    ConvNet = _student("modules.conv_classifier", "ConvNet")
    model = ConvNet.__new__(ConvNet)  # __init__ is given; the stand-ins replace what it builds
    n = int(a["n_layers"])
    model.modules = [_Tape(i, a["out%d" % i], a["dx%d" % i], log) for i in range(n)]
    model.criterion = _TapeCriterion(a["probs"], a["loss"], a["crit_dx"], log)
    return model


def convnet(args, a, call):
    """ConvNet.forward (and backward) on stand-in layers; returns what each one received."""
    log = []
    model = _convnet(a, log)
    result = call("ConvNet.forward(x %s, y %s)" % (_shape(a["x"]), _shape(a["y"])),
                  model.forward, a["x"].copy(), a["y"].copy())
    if not isinstance(result, tuple) or len(result) != 2:
        raise ProbeFailure("ConvNet.forward returned a %s; expected the tuple (probs, loss)"
                           % type(result).__name__)
    res = dict(probs=result[0], loss=result[1])
    for i, m in enumerate(model.modules):
        if m.got_x is not None:
            res["in%d" % i] = m.got_x
    if model.criterion.got_x is not None:
        res["crit_x"] = model.criterion.got_x
    if model.criterion.got_y is not None:
        res["crit_y"] = model.criterion.got_y
    if args.get("backward"):
        del log[:]
        call("ConvNet.backward()", model.backward)
        for i, m in enumerate(model.modules):
            if m.got_dout is not None:
                res["dout%d" % i] = m.got_dout
    res["order"] = np.array(log, dtype=np.int64)
    return res


# ---------------------------------------------------------------- SGD
class _Layer:
    """A stand-in for a layer with parameters: weight, bias and their gradients."""


class _NoParams:
    """A stand-in for ReLU or max pooling: no parameters."""


def sgd(args, a, call):
    """SGD.update over several steps on a model of two layers with parameters and one without."""
    SGD = _student("optimizer.sgd", "SGD")
    layers = []
    for i in range(2):
        m = _Layer()
        m.weight, m.bias = a["w%d" % i].copy(), a["b%d" % i].copy()
        m.dw = m.db = None
        layers.append(m)
    model = types.SimpleNamespace(modules=[layers[0], _NoParams(), layers[1]])
    if args.get("defaults"):
        opt = call("SGD(model)", SGD, model)
    else:
        opt = call("SGD(model, learning_rate=%(lr)g, reg=%(reg)g, momentum=%(momentum)g)" % args,
                   SGD, model, learning_rate=args["lr"], reg=args["reg"], momentum=args["momentum"])
    res = {}
    for step in range(args["steps"]):
        for i, m in enumerate(layers):
            m.dw, m.db = a["dw%d_%d" % (step, i)].copy(), a["db%d_%d" % (step, i)].copy()
        call("SGD.update(model) (update number %d)" % (step + 1), opt.update, model)
        for i, m in enumerate(layers):
            res["w%d_%d" % (step, i)], res["b%d_%d" % (step, i)] = _snap(m.weight), _snap(m.bias)
    return res
