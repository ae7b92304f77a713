"""ResNets for CIFAR-10 (He et al., "Deep Residual Learning for Image Recognition",
arXiv:1512.03385, section 4.2), as in Yerlan Idelbayev's CIFAR ResNet implementations.
Given complete: the Data Wrangling part trains ResNet-32.

The CIFAR variant: a 3x3 stem with 16 channels, three stages of basic blocks with 16,
32 and 64 channels (the 2nd and 3rd stages halve the resolution in their first block),
global average pooling and one linear layer. n blocks per stage give 6n + 2 layers:

    name        layers   parameters
    ResNet20        20        0.27M
    ResNet32        32        0.46M  (464,154 with 10 classes)
    ResNet44        44        0.66M
    ResNet56        56        0.85M
    ResNet110      110         1.7M
    ResNet1202    1202        19.4M

The shortcut of a block that changes the shape is "option A" of the paper by default:
every other pixel, with the new channels zero-padded, so shortcuts add no parameters.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.init as init
from torch.nn import Parameter

__all__ = ['ResNet_s', 'resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110', 'resnet1202']


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python sees this file."""
    print("Roger that from resnet.py!")


def _weights_init(m):
    """He (Kaiming) normal initialisation of every linear and convolution weight."""
    if isinstance(m, (nn.Linear, nn.Conv2d)):
        init.kaiming_normal_(m.weight)


class NormedLinear(nn.Module):
    """Cosine classifier: the score of class j is the cosine between the feature and column j.

    Features and weight columns are both L2-normalised, so every score is in [-1, 1]
    and there is no bias. On long-tailed data this stops the frequent classes from
    winning only because their weight vectors grew longer.

    Shape:
    - Input: (N, in_features)
    - Output: (N, out_features)
    """

    def __init__(self, in_features, out_features):
        super(NormedLinear, self).__init__()
        self.weight = Parameter(torch.Tensor(in_features, out_features))
        # uniform start, then every column rescaled to (about) unit length
        self.weight.data.uniform_(-1, 1).renorm_(2, 1, 1e-5).mul_(1e5)

    def forward(self, x):
        return F.normalize(x, dim=1).mm(F.normalize(self.weight, dim=0))


class LambdaLayer(nn.Module):
    """A layer that applies a given function (used for the option-A shortcut)."""

    def __init__(self, lambd):
        super(LambdaLayer, self).__init__()
        self.lambd = lambd

    def forward(self, x):
        return self.lambd(x)


class BasicBlock(nn.Module):
    """conv3x3 -> BN -> ReLU -> conv3x3 -> BN, plus the shortcut, then ReLU.

    Inputs:
    - in_planes, planes: input and output channels
    - stride: of the first convolution (2 halves the resolution)
    - option: shortcut when the shape changes: 'A' subsample + zero-pad the channels
      (no parameters), 'B' a 1x1 convolution and BN

    Shape:
    - Input: (N, in_planes, H, W)
    - Output: (N, planes, H / stride, W / stride)
    """
    expansion = 1

    def __init__(self, in_planes, planes, stride=1, option='A'):
        super(BasicBlock, self).__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)

        self.shortcut = nn.Sequential()  # identity when the shape does not change
        if stride != 1 or in_planes != planes:
            if option == 'A':
                pad = planes // 4  # channels added on each side (in_planes = planes / 2 here)
                self.shortcut = LambdaLayer(
                    lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, pad, pad), "constant", 0))
            elif option == 'B':
                self.shortcut = nn.Sequential(
                    nn.Conv2d(in_planes, self.expansion * planes, kernel_size=1, stride=stride, bias=False),
                    nn.BatchNorm2d(self.expansion * planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)


class ResNet_s(nn.Module):
    """CIFAR ResNet with num_blocks[i] blocks in stage i (16, 32 and 64 channels).

    Inputs:
    - block: the block class (BasicBlock)
    - num_blocks: three ints, the blocks of each stage
    - num_classes: number of output scores
    - use_norm: a NormedLinear (cosine) classifier instead of nn.Linear

    Shape:
    - Input: (N, 3, H, W)
    - Output: (N, num_classes)
    """

    def __init__(self, block, num_blocks, num_classes=10, use_norm=False):
        super(ResNet_s, self).__init__()
        self.in_planes = 16

        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.layer1 = self._make_layer(block, 16, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 32, num_blocks[1], stride=2)
        self.layer3 = self._make_layer(block, 64, num_blocks[2], stride=2)
        if use_norm:
            self.linear = NormedLinear(64, num_classes)
        else:
            self.linear = nn.Linear(64, num_classes)
        self.apply(_weights_init)

    def _make_layer(self, block, planes, num_blocks, stride):
        # only the first block of a stage changes the resolution
        strides = [stride] + [1] * (num_blocks - 1)
        layers = []
        for s in strides:
            layers.append(block(self.in_planes, planes, s))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer1(out)
        out = self.layer2(out)
        out = self.layer3(out)
        out = F.avg_pool2d(out, out.size()[3])  # global average pooling
        out = out.view(out.size(0), -1)
        return self.linear(out)


def resnet20():
    return ResNet_s(BasicBlock, [3, 3, 3])


def resnet32(num_classes=10, use_norm=False):
    """ResNet-32: 5 blocks per stage. use_norm=True: cosine (NormedLinear) classifier."""
    return ResNet_s(BasicBlock, [5, 5, 5], num_classes=num_classes, use_norm=use_norm)


def resnet44():
    return ResNet_s(BasicBlock, [7, 7, 7])


def resnet56():
    return ResNet_s(BasicBlock, [9, 9, 9])


def resnet110():
    return ResNet_s(BasicBlock, [18, 18, 18])


def resnet1202():
    return ResNet_s(BasicBlock, [200, 200, 200])


def test(net):
    """Print a network's number of trainable parameters and of weight layers."""
    total_params = sum(p.numel() for p in net.parameters() if p.requires_grad)
    print("Total number of params", total_params)
    layers = [p for p in net.parameters() if p.requires_grad and len(p.data.size()) > 1]
    print("Total layers", len(layers))


if __name__ == "__main__":
    for net_name in __all__:
        if net_name.startswith('resnet'):
            print(net_name)
            test(globals()[net_name]())
            print()
