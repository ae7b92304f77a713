"""Variant: a float32-minded loss: scores and weights cast to float32, the loss returned in float32."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def forward(self, input, target):
        loss = None
        logits = input.float()
        probs = F.softmax(logits, dim=1)
        log_probs = F.log_softmax(logits, dim=1)
        p_t = probs[torch.arange(len(target)), target]
        log_p_t = log_probs[torch.arange(len(target)), target]
        per_sample = -torch.pow(1.0 - p_t, self.gamma) * log_p_t
        if self.weight is not None:
            per_sample = per_sample * self.weight.float()[target]
        loss = torch.mean(per_sample)
        return loss
