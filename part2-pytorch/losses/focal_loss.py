"""Class-balanced softmax focal loss (Cui et al., CVPR 2019; Lin et al., ICCV 2017).

On long-tailed data the rare classes contribute little to the plain cross-entropy.
Two ideas fix that:

- class-balanced weights (`reweight`): weight each class by the inverse of its
  "effective number of samples" E_n = (1 - beta^n) / (1 - beta), which grows like n
  for few samples and saturates at 1 / (1 - beta) for many;
- the focal term (`FocalLoss`): scale each sample's loss by (1 - p_y)^gamma, so
  samples the model already gets right (p_y near 1) count less.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python sees this file."""
    print("Roger that from focal_loss.py!")


def reweight(cls_num_list, beta=0.9999):
    """Per-class weights from the effective number of samples.

    Inputs:
    - cls_num_list: list of C sample counts n_i, one per class
    - beta: hyper-parameter in [0, 1); beta = 0 gives equal weights, beta -> 1 gives
      weights proportional to 1 / n_i

    Returns:
    - per_cls_weights: float tensor of shape (C,), w_i = (1 - beta) / (1 - beta^{n_i}),
      scaled so that the weights sum to C
    """
    if not 0 <= beta < 1:
        raise ValueError("beta must be in [0, 1), got %r" % (beta,))
    if min(cls_num_list) < 1:
        raise ValueError("every class needs at least one sample, got counts %s" % list(cls_num_list))
    # BEGIN SOLUTION: compute the class-balanced weights | stub: per_cls_weights = None
    #: weight each class by the inverse of its effective number of samples (see the
    #: paper), normalised so that the weights sum to the number of classes; a tensor
    counts = torch.as_tensor(cls_num_list, dtype=torch.float64)
    if beta == 0:
        per_cls_weights = torch.ones_like(counts)  # E_n = 1 for every class: no reweighting
    else:
        # 1 - beta^n computed as -expm1(n log beta): no digits lost when beta is close to 1
        per_cls_weights = (1.0 - beta) / -torch.expm1(counts * torch.log(torch.tensor(beta, dtype=torch.float64)))
    per_cls_weights = (per_cls_weights / per_cls_weights.sum() * len(counts)).float()
    # END SOLUTION
    return per_cls_weights


class FocalLoss(nn.Module):
    """Softmax focal loss with optional per-class weights.

    loss = mean over the batch of  -w_{y_i} (1 - p_{i,y_i})^gamma log p_{i,y_i},
    p_i = softmax(input_i). With gamma = 0 and no weights this is the cross-entropy.
    Note the plain mean (the CB-loss paper's convention), where
    F.cross_entropy(weight=w) divides by the sum of the batch's weights instead.

    Inputs:
    - weight: optional float tensor of shape (C,), one weight per class
    - gamma: focusing parameter, gamma >= 0

    Shape:
    - input: (N, C) unnormalised scores
    - target: (N,) class indices in [0, C)
    - output: scalar
    """

    def __init__(self, weight=None, gamma=0.0):
        super().__init__()
        assert gamma >= 0, "gamma must be >= 0, got %r" % (gamma,)
        self.gamma = gamma
        self.weight = weight

    def forward(self, input, target):
        """Return the mean class-balanced focal loss of the batch (a scalar tensor)."""
        loss = None
        # BEGIN SOLUTION: implement the (softmax) focal loss, weighted per class
        # at least float32 (also under autocast): log-probabilities need the precision
        input = input.to(torch.promote_types(input.dtype, torch.float32))
        log_p = F.log_softmax(input, dim=1).gather(1, target.view(-1, 1)).squeeze(1)
        if self.gamma > 0:
            # 1 - p as -expm1(log p) keeps its digits when p is close to 1; the clamp keeps
            # (1 - p)^gamma and its gradient finite when p rounds to exactly 1
            one_minus_p = (-torch.expm1(log_p)).clamp(min=torch.finfo(log_p.dtype).tiny)
            focal = one_minus_p.pow(self.gamma)
        else:
            focal = 1.0
        loss = -focal * log_p
        if self.weight is not None:
            loss = loss * self.weight.to(device=loss.device, dtype=loss.dtype)[target]
        loss = loss.mean()
        # END SOLUTION
        return loss
