"""Independent checks of the corpus entries: is each "bug" really wrong and each "variant" right?

These do not use the grader. Each entry's submission is built alone, its unit is
imported in this process, and its results are compared on a few cases with
torch in float64 (autograd for the gradients) or with the formula written out
(SGD's update rule, the class-balanced weights, the course's config values).
A variant must be right in every case; a bug must be wrong in at least one
(an exception counts as wrong). Model entries also report the test accuracy of
their checkpoint on the real CIFAR-10 test set, so that the expected verdict of
the grader's checkpoint test can be checked too.
"""
import contextlib
import copy
import importlib
import io
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from tools.paths import importable

from . import build

PACKAGES = ("modules", "optimizer", "models", "losses", "solver", "train_utils", "config", "data", "cs7643",
            "checkpoint_eval")


@contextlib.contextmanager
def submission(entry):
    """The entry's submission built alone, first on sys.path; its modules forgotten after."""
    with tempfile.TemporaryDirectory(prefix="a2-corpus-check-") as tmp:
        root = build.build([entry], os.path.join(tmp, "sub"))
        extra = [root]
        if entry["part"] == 2:  # solver.py imports the part's data/ and cs7643/
            extra.append(os.path.join(build.REPO, build.PARTS[2]["folder"]))
        # Modules of these names imported before (e.g. by another test) are put back
        # afterwards, so that the check leaves the process as it found it.
        with importable(extra, PACKAGES):
            yield root


def close(a, b, rtol=1e-5, atol=1e-7):
    if torch.is_tensor(a):
        a = a.detach().double().numpy()
    if torch.is_tensor(b):
        b = b.detach().double().numpy()
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def case(results, name, fn):
    """Run one check; record (name, ok, detail). An exception means wrong."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            ok = fn()
        detail = "" if ok else "wrong values or shape"
    except Exception as e:  # noqa: BLE001 -- student-like code may raise anything
        ok, detail = False, "%s: %s" % (type(e).__name__, " ".join(str(e).split())[:80])
    results.append((name, bool(ok), detail))


def t64(a, grad=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


# ---------------------------------------------------------------- Part 1
def check_conv(results):
    Conv2D = importlib.import_module("modules.convolution").Conv2D
    for n, c, h, w, f, k, s, p in [(2, 3, 7, 7, 4, 3, 1, 1), (3, 2, 9, 11, 5, 5, 2, 2),
                                   (2, 3, 8, 6, 2, 3, 2, 1), (2, 2, 10, 10, 3, 2, 3, 0),
                                   (1, 4, 5, 5, 3, 1, 1, 0)]:
        rng = np.random.RandomState(n * 100 + k * 10 + s)
        x, wt, b = rng.randn(n, c, h, w), rng.randn(f, c, k, k), rng.randn(f)
        xt, wtt, bt = t64(x, True), t64(wt, True), t64(b, True)
        ref = F.conv2d(xt, wtt, bt, stride=s, padding=p)
        dout = rng.randn(*ref.shape)
        ref.backward(t64(dout))
        layer = Conv2D(c, f, k, s, p)
        layer.weight, layer.bias = wt.copy(), b.copy()
        tag = "k%d s%d p%d N%d" % (k, s, p, n)
        case(results, "Conv2D forward " + tag, lambda: close(layer.forward(x.copy()), ref))

        def back():
            layer.backward(dout.copy())
            return (close(layer.dx, xt.grad) and close(layer.dw, wtt.grad) and close(layer.db, bt.grad)
                    and close(layer.weight, wt) and close(layer.bias, b))
        case(results, "Conv2D backward (and parameters unchanged) " + tag, back)


def check_pool(results):
    MaxPooling = importlib.import_module("modules.max_pool").MaxPooling
    for k, s, shape in [(2, 2, (2, 3, 4, 4)), (3, 2, (2, 2, 7, 9)), (2, 3, (2, 2, 8, 8)),
                        (3, 3, (1, 2, 10, 11))]:
        rng = np.random.RandomState(k * 10 + s)
        x = rng.permutation(int(np.prod(shape))).reshape(shape) / 10.0  # distinct values
        xt = t64(x, True)
        ref = F.max_pool2d(xt, k, s)
        dout = rng.randn(*ref.shape)
        ref.backward(t64(dout))
        layer = MaxPooling(k, s)
        tag = "k%d s%d %s" % (k, s, shape)
        case(results, "MaxPooling forward " + tag, lambda: close(layer.forward(x.copy()), ref))

        def back():
            layer.backward(dout.copy())
            return close(layer.dx, xt.grad)
        case(results, "MaxPooling backward " + tag, back)

    # Ties: any split among a window's maxima is right if the shares add up to dout.
    rng = np.random.RandomState(7)
    x = rng.randint(0, 3, size=(2, 2, 6, 6)).astype(np.float64)
    dout = rng.randn(2, 2, 3, 3)

    def ties():
        layer = MaxPooling(2, 2)
        layer.forward(x.copy())
        layer.backward(dout.copy())
        win = lambda a: a.reshape(2, 2, 3, 2, 3, 2).transpose(0, 1, 2, 4, 3, 5).reshape(2, 2, 3, 3, 4)
        dx, xw = win(layer.dx), win(x)
        is_max = xw == xw.max(axis=-1, keepdims=True)
        return bool(np.all(dx[~is_max] == 0)) and close(dx.sum(axis=-1), dout)
    case(results, "MaxPooling backward with tied maxima (shares add up to dout)", ties)


def check_relu(results):
    ReLU = importlib.import_module("modules.relu").ReLU
    for shape in [(3, 4), (2, 3, 4, 5)]:
        rng = np.random.RandomState(len(shape))
        x = rng.randn(*shape)
        xt = t64(x, True)
        ref = torch.relu(xt)
        dout = rng.randn(*shape)
        ref.backward(t64(dout))
        layer = ReLU()
        case(results, "ReLU forward %s" % (shape,), lambda: close(layer.forward(x.copy()), ref))

        def back():
            layer.backward(dout.copy())
            return close(layer.dx, xt.grad)
        case(results, "ReLU backward %s" % (shape,), back)


def check_linear(results):
    Linear = importlib.import_module("modules.linear").Linear
    for shape in [(5, 6), (4, 2, 3, 5)]:
        rng = np.random.RandomState(len(shape))
        d = int(np.prod(shape[1:]))
        x, w, b = rng.randn(*shape), rng.randn(d, 3), rng.randn(3)
        xt, wt, bt = t64(x, True), t64(w, True), t64(b, True)
        ref = xt.reshape(shape[0], -1) @ wt + bt
        dout = rng.randn(shape[0], 3)
        ref.backward(t64(dout))
        layer = Linear(d, 3)
        layer.weight, layer.bias = w.copy(), b.copy()
        case(results, "Linear forward %s" % (shape,), lambda: close(layer.forward(x.copy()), ref))

        def back():
            layer.backward(dout.copy())
            return close(layer.dx, xt.grad) and close(layer.dw, wt.grad) and close(layer.db, bt.grad)
        case(results, "Linear backward %s" % (shape,), back)


def check_convnet(results):
    ConvNet = importlib.import_module("modules.conv_classifier").ConvNet
    for n, (f, k, s, p), (pk, ps) in [(3, (4, 3, 1, 1), (2, 2)), (2, (3, 3, 2, 1), (3, 2))]:
        rng = np.random.RandomState(n)
        h = 9
        side = ((h + 2 * p - k) // s + 1 - pk) // ps + 1
        x, y = rng.randn(n, 2, h, h), rng.randint(5, size=n)
        cw, cb = 0.5 * rng.randn(f, 2, k, k), rng.randn(f)
        lw, lb = 0.5 * rng.randn(f * side * side, 5), rng.randn(5)
        t = {name: t64(a, True) for name, a in dict(cw=cw, cb=cb, lw=lw, lb=lb).items()}
        hidden = F.max_pool2d(F.relu(F.conv2d(t64(x), t["cw"], t["cb"], stride=s, padding=p)), pk, ps)
        scores = hidden.reshape(n, -1) @ t["lw"] + t["lb"]
        ref_loss = F.cross_entropy(scores, torch.tensor(y))
        ref_loss.backward()
        model = ConvNet([dict(type="Conv2D", in_channels=2, out_channels=f, kernel_size=k, stride=s, padding=p),
                         dict(type="ReLU"), dict(type="MaxPooling", kernel_size=pk, stride=ps),
                         dict(type="Linear", in_dim=f * side * side, out_dim=5)],
                        dict(type="SoftmaxCrossEntropy"))
        model.modules[0].weight, model.modules[0].bias = cw.copy(), cb.copy()
        model.modules[3].weight, model.modules[3].bias = lw.copy(), lb.copy()
        tag = "conv %s pool %s" % ((f, k, s, p), (pk, ps))

        def fwd():
            probs, loss = model.forward(x.copy(), y.copy())
            return close(probs, torch.softmax(scores, 1)) and close(loss, ref_loss)
        case(results, "ConvNet forward " + tag, fwd)

        def back():
            model.backward()
            c, lin = model.modules[0], model.modules[3]
            return (close(c.dw, t["cw"].grad) and close(c.db, t["cb"].grad)
                    and close(lin.dw, t["lw"].grad) and close(lin.db, t["lb"].grad))
        case(results, "ConvNet backward " + tag, back)


class _Layer:
    def __init__(self, rng, shape):
        self.weight, self.bias = rng.randn(*shape), rng.randn(shape[-1])
        self.dw = self.db = None


class _NoParams:
    pass


def check_sgd(results):
    SGD = importlib.import_module("optimizer.sgd").SGD
    for steps, lr, reg, mu, defaults in [(1, 0.1, 0.01, 0.9, False), (3, 0.05, 0.1, 0.8, False),
                                         (2, 1e-4, 1e-3, 0.9, True)]:
        def run():
            rng = np.random.RandomState(steps)
            model = type("Model", (), {})()
            model.modules = [_Layer(rng, (4, 3)), _NoParams(), _Layer(rng, (3, 2))]
            opt = SGD(model) if defaults else SGD(model, learning_rate=lr, reg=reg, momentum=mu)
            params = [[m.weight.copy(), m.bias.copy()] for m in model.modules if hasattr(m, "weight")]
            vel = [[np.zeros_like(w), np.zeros_like(b)] for w, b in params]
            for _ in range(steps):
                layers = [m for m in model.modules if hasattr(m, "weight")]
                for i, m in enumerate(layers):
                    m.dw, m.db = rng.randn(*m.weight.shape), rng.randn(*m.bias.shape)
                    # the rule written out: v = mu v - lr (dw + reg w); w += v (bias: no reg)
                    vel[i][0] = mu * vel[i][0] - lr * (m.dw + reg * params[i][0])
                    vel[i][1] = mu * vel[i][1] - lr * m.db
                    params[i][0] = params[i][0] + vel[i][0]
                    params[i][1] = params[i][1] + vel[i][1]
                opt.update(model)
            layers = [m for m in model.modules if hasattr(m, "weight")]
            return all(close(m.weight, w, 1e-9, 1e-12) and close(m.bias, b, 1e-9, 1e-12)
                       for m, (w, b) in zip(layers, params))
        case(results, "SGD %d step(s) lr=%g reg=%g momentum=%g%s" % (
            steps, lr, reg, mu, " (defaults)" if defaults else ""), run)


# ---------------------------------------------------------------- Part 2
def check_solver(results):
    Solver = importlib.import_module("solver").Solver
    lr, mu, wd = 0.05, 0.9, 5e-4
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(12, 6), nn.Sigmoid(), nn.Linear(6, 4)).double()
    batches = [(torch.randn(8, 3, 2, 2, dtype=torch.float64), torch.randint(4, (8,))) for _ in range(3)]

    def make():
        s = Solver.__new__(Solver)  # no data loading: the step only needs these three
        s.model = copy.deepcopy(net)
        s.criterion = nn.CrossEntropyLoss()
        s.optimizer = torch.optim.SGD(s.model.parameters(), lr, momentum=mu, weight_decay=wd)
        return s

    def train():
        s = make()
        s.model.train()
        # the update written out: buf = mu buf + (g + wd p); p -= lr buf
        params = [p.detach().clone() for p in net.parameters()]
        bufs = [torch.zeros_like(p) for p in params]
        ok = True
        for x, y in batches:
            ps = [p.clone().requires_grad_(True) for p in params]
            h = torch.sigmoid(x.reshape(8, -1) @ ps[0].T + ps[1])
            scores = h @ ps[2].T + ps[3]
            loss = F.cross_entropy(scores, y)
            grads = torch.autograd.grad(loss, ps)
            out, got_loss = s._compute_loss_update_params(x, y)
            ok &= close(out, scores) and close(got_loss, loss)
            for i, g in enumerate(grads):
                bufs[i] = mu * bufs[i] + g + wd * params[i]
                params[i] = params[i] - lr * bufs[i]
            ok &= all(close(p, q) for p, q in zip(s.model.parameters(), params))
        return ok
    case(results, "Solver: 3 training steps (outputs, losses, parameters)", train)

    def evaluate():
        s = make()
        s.model.eval()
        x, y = batches[0]
        before = [p.detach().clone() for p in s.model.parameters()]
        out, loss = s._compute_loss_update_params(x, y)
        ref = net(x)
        return (close(out, ref) and close(loss, F.cross_entropy(ref, y)) and not out.requires_grad
                and all(close(p, q, 0, 0) for p, q in zip(s.model.parameters(), before)))
    case(results, "Solver: eval step (no update, no gradient)", evaluate)


def _accuracy(model):
    """Test accuracy by Part 2's staff evaluator (part2-pytorch is on sys.path in submission())."""
    import checkpoint_eval
    return checkpoint_eval.evaluate(model).accuracy


def _model_checks(results, root, build_model, ckpt, n_params, formula, small=None, accuracy=True):
    state = list(torch.load(os.path.join(build.REPO, "part2-pytorch", ckpt), weights_only=True).values())
    x = torch.randn(4, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    model = build_model()

    def size():
        model(x[:1])  # lazy layers get their size at the first forward
        return sum(p.numel() for p in model.parameters()) == n_params
    case(results, "parameter count", size)
    if small is not None:
        case(results, "built with other sizes", small)

    def computes():
        m = build_model()
        m.load_state_dict(torch.load(os.path.join(root, ckpt), weights_only=True))
        m.eval()
        with torch.no_grad():
            return close(m(x), formula(x, *state), 1e-4, 1e-5)
    case(results, "computes the specified layers (checkpoint weights)", computes)
    acc = [None]

    def evaluate():
        m = build_model()
        m.load_state_dict(torch.load(os.path.join(root, ckpt), weights_only=True))
        if accuracy:  # the whole test set: seconds; a batch is enough to see that it runs
            acc[0] = _accuracy(m)
        else:
            m.eval()
            m(x)
        return True
    case(results, "checkpoint loads and runs", evaluate)
    return acc[0]


def check_twolayer(results, root, accuracy=True):
    TwoLayerNet = importlib.import_module("models.twolayer").TwoLayerNet

    def small():
        m = TwoLayerNet(48, 7, 5)
        out = m(torch.randn(3, 3, 4, 4))
        return sum(p.numel() for p in m.parameters()) == 48 * 7 + 7 + 7 * 5 + 5 and out.shape == (3, 5)
    acc = _model_checks(results, root, lambda: TwoLayerNet(3072, 256, 10), "checkpoints/twolayernet.pth",
                        3072 * 256 + 256 + 256 * 10 + 10,
                        lambda x, w1, b1, w2, b2: torch.sigmoid(x.flatten(1) @ w1.T + b1) @ w2.T + b2, small,
                        accuracy)
    return {"checkpoint accuracy": acc}


def check_vanilla(results, root, accuracy=True):
    VanillaCNN = importlib.import_module("models.cnn").VanillaCNN

    def formula(x, cw, cb, lw, lb):
        return F.max_pool2d(F.relu(F.conv2d(x, cw, cb)), 2, 2).flatten(1) @ lw.T + lb
    acc = _model_checks(results, root, VanillaCNN, "checkpoints/vanillacnn.pth",
                        32 * 3 * 49 + 32 + 5408 * 10 + 10, formula, accuracy=accuracy)
    return {"checkpoint accuracy": acc}


def cb_weights(counts, beta):
    counts = np.asarray(counts, np.float64)
    w = (1 - beta) / (1 - beta ** counts)
    return w / w.sum() * len(counts)


def check_reweight(results):
    reweight = importlib.import_module("losses.focal_loss").reweight
    lt = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
    for counts, beta in [([645, 387, 232, 139], 0.9999), (lt, 0.9), (lt, 0.99), (lt, 0.999), (lt, 0.9999)]:
        case(results, "reweight beta=%g on %d classes" % (beta, len(counts)),
             lambda: torch.is_tensor(reweight(counts, beta=beta))
             and close(reweight(counts, beta=beta), cb_weights(counts, beta), 1e-4, 1e-6))


def check_focal(results):
    """Value and gradient against the formula; float64 inputs, or float32 (the Solver's dtype)."""
    FocalLoss = importlib.import_module("losses.focal_loss").FocalLoss
    g = torch.Generator().manual_seed(0)
    logits, target = 2 * torch.randn(16, 5, generator=g, dtype=torch.float64), torch.randint(5, (16,), generator=g)
    weight = torch.tensor(cb_weights([500, 200, 90, 40, 10], 0.99))

    def right(gamma, w, dtype):
        x = logits.detach().clone().to(dtype).requires_grad_(True)
        loss = FocalLoss(weight=None if w is None else w.to(dtype), gamma=gamma)(x, target)
        if not torch.is_tensor(loss) or loss.numel() != 1 or not loss.requires_grad:
            return False
        loss.backward()
        tol = (1e-4, 1e-6) if dtype == torch.float64 else (1e-3, 1e-5)
        # both reductions are accepted: the plain mean and the weighted mean
        for weighted_mean in ((False, True) if w is not None else (False,)):
            r = logits.clone().requires_grad_(True)
            log_p = torch.log_softmax(r, 1).gather(1, target[:, None])[:, 0]
            ww = w[target] if w is not None else torch.ones(16, dtype=torch.float64)
            per = -ww * (1 - log_p.exp()) ** gamma * log_p
            ref = per.sum() / ww.sum() if weighted_mean else per.mean()
            ref.backward()
            if close(loss, ref, *tol) and close(x.grad, r.grad, *tol):
                return True
        return False

    for gamma in (0.0, 0.5, 1.0, 2.0, 5.0):
        for w in (None, weight):
            def run(gamma=gamma, w=w):
                try:
                    if right(gamma, w, torch.float64):
                        return True
                except Exception:  # noqa: BLE001 -- e.g. a float32-minded loss mixing dtypes
                    pass
                return right(gamma, w, torch.float32)
            case(results, "FocalLoss gamma=%g %s (value and gradient, float64 or float32)" % (
                gamma, "weighted" if w is not None else "unweighted"), run)


def check_config(results, root):
    import yaml
    with open(os.path.join(root, "configs", "config_twolayer.yaml")) as f:
        cfg = yaml.safe_load(f)
    flat = {k: v for section in cfg.values() for k, v in section.items()}
    course = dict(batch_size=128, learning_rate=0.1, reg=0.0005, epochs=10, steps=[6, 8], warmup=0,
                  momentum=0.9, gamma=1, model="TwoLayerNet", imbalance="regular", save_best=True,
                  loss_type="CE")
    case(results, "config_twolayer.yaml has the course's values", lambda: all(flat.get(k) == v for k, v in course.items()))


def check_entry(entry, accuracy=True):
    """{'confirms': bool, 'summary': str, 'cases': [(name, ok, detail)], ...extra}.

    accuracy=False skips the checkpoints' test-set accuracy (model entries), the slow part.
    """
    results, extra = [], {}
    unit = entry["unit"][0]
    with submission(entry) as root:
        fn = {"Conv2D": check_conv, "MaxPooling": check_pool, "ReLU": check_relu,
              "Linear": check_linear, "ConvNet": check_convnet, "SGD": check_sgd,
              "Solver": check_solver, "reweight": check_reweight, "FocalLoss": check_focal}.get(unit)
        if fn is not None:
            fn(results)
        elif unit == "TwoLayerNet":
            extra = check_twolayer(results, root, accuracy)
        elif unit == "VanillaCNN":
            extra = check_vanilla(results, root, accuracy)
        elif unit.startswith("configs/"):
            check_config(results, root)
        else:
            raise build.CorpusError("no independent check for unit %r" % unit)
    wrong = [r for r in results if not r[1]]
    confirms = (not wrong) if entry["kind"] == "variant" else bool(wrong)
    summary = "%d/%d cases right" % (len(results) - len(wrong), len(results))
    if wrong:
        summary += "; wrong: " + "; ".join(n + (" (%s)" % d if d else "") for n, _, d in wrong)
    if extra.get("checkpoint accuracy") is not None:
        summary += "; checkpoint accuracy %.4f" % extra["checkpoint accuracy"]
    return dict(confirms=confirms, summary=summary, cases=results, **extra)
