"""Bug: the weights (1 - beta) / (1 - beta^n) are returned without scaling them to sum to C."""
import torch


def reweight(cls_num_list, beta=0.9999):
    per_cls_weights = None
    n = torch.tensor(cls_num_list, dtype=torch.float)
    per_cls_weights = (1 - beta) / (1 - torch.pow(beta, n))
    return per_cls_weights
