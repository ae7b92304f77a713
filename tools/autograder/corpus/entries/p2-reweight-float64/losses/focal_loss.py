"""Variant: reweight with torch operations in float64, returned as a float64 tensor."""
import torch


def reweight(cls_num_list, beta=0.9999):
    per_cls_weights = None
    n = torch.tensor(cls_num_list, dtype=torch.float64)
    per_cls_weights = (1 - beta) / (1 - beta ** n)
    per_cls_weights = per_cls_weights * len(cls_num_list) / per_cls_weights.sum()
    return per_cls_weights
