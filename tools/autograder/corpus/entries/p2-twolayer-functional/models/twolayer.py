"""Variant: layers named differently, torch.sigmoid in forward, x.view(x.size(0), -1) to flatten."""
import torch
import torch.nn as nn


class TwoLayerNet(nn.Module):
    def __init__(self, input_dim, hidden_size, num_classes):
        super().__init__()
        self.hidden = nn.Linear(input_dim, hidden_size)
        self.output = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        out = None
        x = x.view(x.size(0), -1)
        out = self.output(torch.sigmoid(self.hidden(x)))
        return out
