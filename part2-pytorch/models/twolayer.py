"""A two-layer fully connected network for CIFAR-10 (the network of assignment 1, in PyTorch)."""
import torch
import torch.nn as nn


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python sees this file."""
    print("Roger that from twolayer.py!")


class TwoLayerNet(nn.Module):
    def __init__(self, input_dim, hidden_size, num_classes):
        """Two fully connected layers with a sigmoid between them.

        Inputs:
        - input_dim: number of values in one flattened input (3 * 32 * 32 = 3072 for CIFAR-10)
        - hidden_size: width of the hidden layer
        - num_classes: number of output scores

        Shape:
        - Input: (N, C, H, W) with C * H * W == input_dim (flatten it first)
        - Output: (N, num_classes), unnormalised class scores
        """
        super().__init__()
        # BEGIN SOLUTION: build the two-layer network, a sigmoid between the layers | stub: pass
        self.fc1 = nn.Linear(input_dim, hidden_size)
        self.sigmoid = nn.Sigmoid()
        self.fc2 = nn.Linear(hidden_size, num_classes)
        # END SOLUTION

    def forward(self, x):
        """Return the class scores of a batch x of shape (N, 3, 32, 32)."""
        out = None
        # BEGIN SOLUTION: implement the forward pass (flatten, fc1, sigmoid, fc2)
        x = torch.flatten(x, start_dim=1)
        out = self.fc2(self.sigmoid(self.fc1(x)))
        # END SOLUTION
        return out
