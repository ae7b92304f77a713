"""Bug: the weights are normalised to sum to 1 instead of to the number of classes."""
import torch


def reweight(cls_num_list, beta=0.9999):
    per_cls_weights = None
    n = torch.tensor(cls_num_list, dtype=torch.float)
    w = (1 - beta) / (1 - torch.pow(beta, n))
    per_cls_weights = w / w.sum()
    return per_cls_weights
