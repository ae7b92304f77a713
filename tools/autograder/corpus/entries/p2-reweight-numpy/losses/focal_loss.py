"""Variant: reweight computed with NumPy and returned as torch.tensor(..., dtype=torch.float)."""
import numpy as np
import torch


def reweight(cls_num_list, beta=0.9999):
    per_cls_weights = None
    effective_num = 1.0 - np.power(beta, np.array(cls_num_list, dtype=np.float64))
    weights = (1.0 - beta) / effective_num
    weights = weights / np.sum(weights) * len(cls_num_list)
    per_cls_weights = torch.tensor(weights, dtype=torch.float)
    return per_cls_weights
