"""Variant: float32-minded: F.nll_loss with the weights cast by .float() (right in the Solver's float32; float64 scores would clash)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def forward(self, input, target):
        loss = None
        log_probs = F.log_softmax(input, dim=1)
        weight = self.weight.float() if self.weight is not None else None
        weighted_ce = F.nll_loss(log_probs, target, weight=weight, reduction='none')
        p_t = log_probs.gather(1, target.unsqueeze(1)).squeeze(1).exp()
        loss = ((1 - p_t) ** self.gamma * weighted_ce).mean()
        return loss
