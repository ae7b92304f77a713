"""Variant: PyTorch's reduction: the weighted losses are divided by the sum of the batch's weights."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def forward(self, input, target):
        loss = None
        log_p = F.log_softmax(input, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
        p = log_p.exp()
        focal = -((1 - p) ** self.gamma) * log_p
        if self.weight is not None:
            w = self.weight.to(input.dtype)[target]
            loss = (w * focal).sum() / w.sum()
        else:
            loss = focal.mean()
        return loss
