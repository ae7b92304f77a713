"""The class-balanced *sigmoid* focal loss: the paper's variant, for comparison runs.

Cui et al. (CVPR 2019) get their best long-tailed CIFAR-10 result (74.57% at factor
100, beta 0.9999, gamma 1) with a focal loss built on one sigmoid per class:

    loss_i = w_{y_i} * sum_c (1 - q_ic)^gamma * (-log q_ic)
    q_ic   = sigmoid(z_ic) for the true class c = y_i, sigmoid(-z_ic) for the others

averaged over the batch, with w = reweight(class counts, beta). The course, and this
kit's graded losses/focal_loss.py, use the softmax version instead (one term per
sample, p_y from a softmax). This script trains a Solver config with the sigmoid
version so the two can be compared under the same schedule and seed.

As in the paper, the classifier's biases start at -log((1 - pi) / pi) with pi = 0.1:
every sigmoid starts near 0.1 rather than 0.5, so the C - 1 "not this class" terms
do not dominate the first updates.

    python -m experiments.sigmoid_focal --config experiments/configs/config_resnet32_lt_sweep_sigmoid_b0.9999.yaml [--resume]

The config is an ordinary Solver config except for `loss_type: SigmoidFocal`; data,
schedule and records (runs/<config name>/metrics.csv, ...) are the Solver's.
Staff-only: not part of the student kit (tools/release ships no experiments/).
"""
import argparse
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from solver import Solver
from train_utils import load_config

LOSS_TYPE = "SigmoidFocal"
PRIOR = 0.1  # the paper's pi: the probability every sigmoid starts at


class SigmoidFocalLoss(nn.Module):
    """Class-balanced sigmoid focal loss (one binary focal term per class).

    Inputs:
    - weight: float tensor of shape (C,), the weight of each sample's true class
    - gamma: focusing parameter, gamma >= 0 (0 gives the weighted sigmoid cross-entropy)

    Shape:
    - input: (N, C) unnormalised scores
    - target: (N,) class indices in [0, C)
    - output: scalar, the mean over the batch of the per-sample sums over classes
    """

    def __init__(self, weight, gamma=1.0):
        super().__init__()
        if gamma < 0:
            raise ValueError("gamma must be >= 0, got %r" % (gamma,))
        self.gamma = gamma
        self.register_buffer("weight", torch.as_tensor(weight, dtype=torch.float32))

    def forward(self, input, target):
        # float32 at least, also under bf16 autocast: the log terms need the precision
        z = input.to(torch.promote_types(input.dtype, torch.float32))
        sign = 2.0 * F.one_hot(target, z.shape[1]).to(z.dtype) - 1.0  # +1 true class, -1 others
        s = sign * z
        log_q = F.logsigmoid(s)                               # log q, stable for any s
        modulator = torch.exp(self.gamma * F.logsigmoid(-s))  # (1 - q)^gamma = sigmoid(-s)^gamma
        per_sample = -(modulator * log_q).sum(1)
        return (self.weight.to(z.dtype)[target] * per_sample).mean()


def focal_kwargs(kwargs):
    """The Solver kwargs of a SigmoidFocal config: the same, as loss_type "Focal" (the Solver
    then checks beta and gamma and computes the class-balanced weights)."""
    if kwargs.get("loss_type") != LOSS_TYPE:
        raise ValueError("this script trains loss_type %r configs, got %r; train the others with "
                         "python -m solver" % (LOSS_TYPE, kwargs.get("loss_type")))
    return dict(kwargs, loss_type="Focal")


def build_solver(kwargs):
    """A Solver for a SigmoidFocal config: the Focal Solver with the loss and the biases swapped."""
    solver = Solver(**focal_kwargs(kwargs))
    solver.criterion = SigmoidFocalLoss(solver.criterion.weight, gamma=solver.gamma).to(solver.device)
    solver.loss_type = LOSS_TYPE
    # the classifier: the model's last nn.Linear (a resumed run, start_epoch > 0, already
    # holds its trained bias: leave it)
    linears = [m for m in solver.model.modules() if isinstance(m, nn.Linear)]
    if not linears or linears[-1].bias is None:
        raise ValueError("%s has no final nn.Linear with a bias to start at the prior; "
                         "use a model that has one, such as ResNet-32" % solver.model_type)
    if solver.start_epoch == 0:
        with torch.no_grad():
            linears[-1].bias.fill_(-math.log((1 - PRIOR) / PRIOR))
    return solver


def main(argv=None):
    p = argparse.ArgumentParser(description="Train a Solver config with the CB sigmoid focal loss.")
    p.add_argument("--config", required=True, help="a config with loss_type: SigmoidFocal")
    p.add_argument("--resume", action="store_true", help="continue from runs/<config name>/last.pth")
    args = p.parse_args(argv)
    kwargs = load_config(args.config)
    kwargs.setdefault("run_name", os.path.splitext(os.path.basename(args.config))[0])
    if args.resume:
        kwargs["resume"] = True
    solver = build_solver(kwargs)
    solver.train()  # prints the course's progress lines and the best accuracy
    return 0


if __name__ == "__main__":
    sys.exit(main())
