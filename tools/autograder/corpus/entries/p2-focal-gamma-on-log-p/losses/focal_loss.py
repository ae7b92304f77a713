"""Bug: the modulating factor is computed from log p instead of p: (1 - log p_t)^gamma."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def forward(self, input, target):
        loss = None
        log_p = F.log_softmax(input, dim=1).gather(1, target.view(-1, 1)).view(-1)
        loss = -(1 - log_p) ** self.gamma * log_p
        if self.weight is not None:
            loss = loss * self.weight[target]
        loss = loss.mean()
        return loss
