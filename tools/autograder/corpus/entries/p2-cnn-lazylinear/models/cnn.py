"""Variant: nn.LazyLinear(10) for the classifier (its input size is found at the first forward)."""
import torch
import torch.nn as nn


class VanillaCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=7, stride=1, padding=0)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.fc1 = nn.LazyLinear(10)

    def forward(self, x):
        outs = None
        x = self.pool(self.relu(self.conv1(x)))
        outs = self.fc1(x.flatten(1))
        return outs
