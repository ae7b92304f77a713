"""Variant: one nn.Sequential (Flatten, Linear, Sigmoid, Linear); its checkpoint has the Sequential's names."""
import torch
import torch.nn as nn


class TwoLayerNet(nn.Module):
    def __init__(self, input_dim, hidden_size, num_classes):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(input_dim, hidden_size),
            nn.Sigmoid(),
            nn.Linear(hidden_size, num_classes),
        )

    def forward(self, x):
        out = None
        out = self.net(x)
        return out
