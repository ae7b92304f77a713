"""The class-balanced *sigmoid* focal loss: the paper's variant, for comparison runs.

Cui et al. (CVPR 2019) get their best long-tailed CIFAR-10 result (74.57% at factor
100, beta 0.9999, gamma 1) with a focal loss built on one sigmoid per class:

    loss_i = w_{y_i} * sum_c (1 - q_ic)^gamma * (-log q_ic)
    q_ic   = sigmoid(z_ic) for the true class c = y_i, sigmoid(-z_ic) for the others

averaged over the batch, with w = reweight(class counts, beta). The course, and this
kit's graded losses/focal_loss.py, use the softmax version instead (one term per
sample, p_y from a softmax). This module registers the sigmoid version as the loss type
"SigmoidFocal" (config.register_loss), so the two can be compared under the same schedule
and seed. A config uses it with

    loss:
      loss_type: SigmoidFocal
      loss_module: experiments.sigmoid_focal

and trains as any other config:

    python -m solver --config experiments/configs/config_resnet32_lt_sweep_sigmoid_b0.9999.yaml --resume

As in the paper, the classifier's biases start at -log((1 - pi) / pi) with pi = 0.1:
every sigmoid starts near 0.1 rather than 0.5, so the C - 1 "not this class" terms
do not dominate the first updates.

Staff-only: not part of the student kit (tools/release ships no experiments/).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import config
from losses import reweight

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


def build(solver, cls_num_list):
    """The Solver's criterion for loss_type SigmoidFocal (config.register_loss's build).

    The weights are the class-balanced ones of the training set's class counts
    (reweight, the config's beta), as the softmax focal loss gets; the classifier (the
    model's last nn.Linear) starts at the prior. A resumed run then restores its trained
    bias, as it restores every weight.
    """
    linears = [m for m in solver.model.modules() if isinstance(m, nn.Linear)]
    if not linears or linears[-1].bias is None:
        raise config.SolverError("loss_type %s needs a model whose last layer is an nn.Linear with a bias "
                                 "(it starts at the prior); %s has none: use e.g. model: ResNet-32"
                                 % (LOSS_TYPE, solver.model_type))
    with torch.no_grad():
        linears[-1].bias.fill_(-math.log((1 - PRIOR) / PRIOR))
    return SigmoidFocalLoss(reweight(cls_num_list, beta=solver.beta), gamma=solver.gamma)


config.register_loss(LOSS_TYPE, build)
