"""The vanilla CNN: one convolution, one pooling layer, one linear classifier."""
import torch
import torch.nn as nn


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python sees this file."""
    print("Roger that from cnn.py!")


class VanillaCNN(nn.Module):
    def __init__(self):
        """Conv2d(3 -> 32, kernel 7, stride 1, no padding) -> ReLU -> MaxPool2d(2, 2) -> Linear(-> 10).

        A 32x32 image becomes 26x26 after the 7x7 convolution (32 - 7 + 1) and 13x13
        after pooling, so the linear layer sees 32 * 13 * 13 = 5408 values.

        Shape:
        - Input: (N, 3, 32, 32)
        - Output: (N, 10), unnormalised class scores
        """
        super().__init__()
        # BEGIN SOLUTION: define the layers of the vanilla CNN | stub: pass
        #: a convolution with 32 filters of 7x7, stride 1, no padding; a ReLU;
        #: max pooling with a 2x2 kernel and stride 2; a linear layer to 10 classes
        self.conv1 = nn.Conv2d(3, 32, kernel_size=7, stride=1, padding=0)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.fc1 = nn.Linear(32 * 13 * 13, 10)
        # END SOLUTION

    def forward(self, x):
        """Return the class scores of a batch x of shape (N, 3, 32, 32)."""
        outs = None
        # BEGIN SOLUTION: implement the forward pass
        x = self.pool(self.relu(self.conv1(x)))
        outs = self.fc1(torch.flatten(x, start_dim=1))
        # END SOLUTION
        return outs
