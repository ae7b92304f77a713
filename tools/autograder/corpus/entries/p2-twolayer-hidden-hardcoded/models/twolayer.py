"""Bug: the hidden layer is hard-coded to 256 units and the input to 3072 (ignores the arguments)."""
import torch
import torch.nn as nn


class TwoLayerNet(nn.Module):
    def __init__(self, input_dim, hidden_size, num_classes):
        super().__init__()
        self.fc1 = nn.Linear(3072, 256)
        self.sigmoid = nn.Sigmoid()
        self.fc2 = nn.Linear(256, num_classes)

    def forward(self, x):
        out = None
        x = x.reshape(x.shape[0], -1)
        out = self.fc2(self.sigmoid(self.fc1(x)))
        return out
