"""Bug: the loss is computed in NumPy and wrapped in a new tensor, so no gradient flows back."""
import numpy as np
import torch
import torch.nn as nn


class FocalLoss(nn.Module):
    def forward(self, input, target):
        loss = None
        x = input.detach().cpu().numpy()
        t = target.cpu().numpy()
        x = x - x.max(axis=1, keepdims=True)
        log_p = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
        log_p_t = log_p[np.arange(len(t)), t]
        per_sample = -(1 - np.exp(log_p_t)) ** self.gamma * log_p_t
        if self.weight is not None:
            per_sample = per_sample * self.weight.cpu().numpy()[t]
        loss = torch.tensor(per_sample.mean(), dtype=input.dtype)
        return loss
