"""Variant: built on F.cross_entropy(reduction='none'): p_t = exp(-CE), weights applied after the focal term."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def forward(self, input, target):
        loss = None
        ce = F.cross_entropy(input, target, reduction='none')
        p_t = torch.exp(-ce)
        loss = (1 - p_t) ** self.gamma * ce
        if self.weight is not None:
            loss = loss * self.weight.to(loss.dtype)[target]
        loss = loss.mean()
        return loss
