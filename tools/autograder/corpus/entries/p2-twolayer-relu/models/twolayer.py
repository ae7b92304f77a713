"""Bug: ReLU between the two layers instead of the sigmoid the assignment asks for."""
import torch
import torch.nn as nn


class TwoLayerNet(nn.Module):
    def __init__(self, input_dim, hidden_size, num_classes):
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_size)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        out = None
        x = torch.flatten(x, 1)
        out = self.fc2(self.act(self.fc1(x)))
        return out
