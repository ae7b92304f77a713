"""A two-layer fully connected network for CIFAR-10 (the network of assignment 1, in PyTorch)."""
import torch
import torch.nn as nn


class TwoLayerNet(nn.Module):
    """Flatten -> Linear(input_dim, hidden_size) -> Sigmoid -> Linear(hidden_size, num_classes).

    Inputs:
    - input_dim: number of values in one flattened input (3 * 32 * 32 = 3072 for CIFAR-10)
    - hidden_size: width of the hidden layer
    - num_classes: number of output scores

    Shape:
    - Input: (N, C, H, W) with C * H * W == input_dim (any shape (N, ...) works)
    - Output: (N, num_classes), unnormalised class scores
    """

    def __init__(self, input_dim, hidden_size, num_classes):
        super().__init__()
        # BEGIN SOLUTION: define the two linear layers and the sigmoid | stub: pass
        self.fc1 = nn.Linear(input_dim, hidden_size)
        self.sigmoid = nn.Sigmoid()
        self.fc2 = nn.Linear(hidden_size, num_classes)
        # END SOLUTION

    def forward(self, x):
        """Return the class scores of a batch x of shape (N, ...)."""
        # BEGIN SOLUTION: flatten x and apply fc1, sigmoid, fc2
        x = torch.flatten(x, start_dim=1)
        return self.fc2(self.sigmoid(self.fc1(x)))
        # END SOLUTION
