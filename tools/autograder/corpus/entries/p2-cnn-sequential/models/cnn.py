"""Variant: nn.Sequential feature extractor and classifier; its checkpoint has the Sequential's names."""
import torch
import torch.nn as nn


class VanillaCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 7),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2, 2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(5408, 10))

    def forward(self, x):
        outs = None
        outs = self.classifier(self.features(x))
        return outs
