"""Bug: the second layer maps hidden_size -> hidden_size, so the network returns 256 scores, not 10."""
import torch
import torch.nn as nn


class TwoLayerNet(nn.Module):
    def __init__(self, input_dim, hidden_size, num_classes):
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_size)
        self.sigmoid = nn.Sigmoid()
        self.fc2 = nn.Linear(hidden_size, hidden_size)

    def forward(self, x):
        out = None
        x = torch.flatten(x, 1)
        out = self.fc2(self.sigmoid(self.fc1(x)))
        return out
