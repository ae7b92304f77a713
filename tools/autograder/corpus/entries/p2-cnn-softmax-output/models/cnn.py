"""Bug: forward returns softmax probabilities, which nn.CrossEntropyLoss then softmaxes again."""
import torch
import torch.nn as nn


class VanillaCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=7, stride=1, padding=0)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.fc1 = nn.Linear(32 * 13 * 13, 10)

    def forward(self, x):
        outs = None
        x = self.pool(self.relu(self.conv1(x)))
        x = torch.flatten(x, 1)
        outs = torch.softmax(self.fc1(x), dim=1)
        return outs
