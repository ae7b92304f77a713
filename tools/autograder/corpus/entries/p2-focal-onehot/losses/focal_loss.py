"""Variant: one-hot targets: p_t and log p_t as row sums of one_hot * softmax / log_softmax."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def forward(self, input, target):
        loss = None
        one_hot = F.one_hot(target, num_classes=input.size(1)).type_as(input)
        log_pt = (one_hot * F.log_softmax(input, dim=-1)).sum(dim=-1)
        pt = (one_hot * F.softmax(input, dim=-1)).sum(dim=-1)
        loss = -torch.pow(1 - pt, self.gamma) * log_pt
        if self.weight is not None:
            alpha = (one_hot * self.weight.type_as(input).unsqueeze(0)).sum(dim=-1)
            loss = alpha * loss
        return loss.mean()
