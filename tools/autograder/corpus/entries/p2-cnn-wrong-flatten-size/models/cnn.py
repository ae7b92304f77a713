"""Bug: the classifier expects 32 * 16 * 16 inputs (as if the conv kept the 32x32 size); 32 * 13 * 13 arrive."""
import torch
import torch.nn as nn


class VanillaCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=7, stride=1, padding=0)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.fc1 = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        outs = None
        x = self.pool(self.relu(self.conv1(x)))
        outs = self.fc1(x.view(x.size(0), -1))
        return outs
