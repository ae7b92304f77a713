"""ResNet-32 for CIFAR-10 (He et al., 2016, section 4.2), used by the long-tailed experiments.

The CIFAR variant of ResNet: a 3x3 stem with 16 channels, then three stages of
five basic blocks with 16, 32 and 64 channels (the 2nd and 3rd stage halve the
resolution in their first block), global average pooling and a linear classifier.
When a block changes the shape, its shortcut is "option A" of the paper: take
every other pixel and pad the new channels with zeros, so shortcuts have no
parameters. Depth = 1 + 3 * 5 * 2 + 1 = 32 layers with weights; 464,154 parameters.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ZeroPadShortcut(nn.Module):
    """Option-A shortcut: subsample by 2 in space and zero-pad the channels to `out_channels`.

    Shape:
    - Input: (N, C_in, H, W)
    - Output: (N, out_channels, H // 2, W // 2)
    """

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.extra = out_channels - in_channels

    def forward(self, x):
        x = x[:, :, ::2, ::2]
        # pad the channel dimension (the third from the end): half the new channels before, half after
        return F.pad(x, (0, 0, 0, 0, self.extra // 2, self.extra - self.extra // 2))


class BasicBlock(nn.Module):
    """conv3x3 -> BN -> ReLU -> conv3x3 -> BN, plus the shortcut, then ReLU.

    Shape:
    - Input: (N, in_channels, H, W)
    - Output: (N, out_channels, H / stride, W / stride)
    """

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        if stride != 1 or in_channels != out_channels:
            self.shortcut = ZeroPadShortcut(in_channels, out_channels)
        else:
            self.shortcut = nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class NormedLinear(nn.Module):
    """Cosine classifier: scores are cosine similarities between the feature and each class weight.

    Both the features and the weight columns are L2-normalised, so every score lies in
    [-1, 1]; no bias. Useful on long-tailed data, where the norms of the weights of
    frequent classes otherwise grow larger than those of rare ones.

    Shape:
    - Input: (N, in_features)
    - Output: (N, out_features)
    """

    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features).uniform_(-1, 1))
        # start with unit-norm columns
        with torch.no_grad():
            self.weight.div_(self.weight.norm(dim=0, keepdim=True))

    def forward(self, x):
        return F.normalize(x, dim=1) @ F.normalize(self.weight, dim=0)


class ResNet(nn.Module):
    """CIFAR ResNet with `num_blocks[i]` basic blocks in stage i (16, 32, 64 channels).

    Shape:
    - Input: (N, 3, 32, 32)
    - Output: (N, num_classes)
    """

    def __init__(self, num_blocks, num_classes=10, use_norm=False):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, in_ch = [], 16
        for out_ch, n, stride in zip((16, 32, 64), num_blocks, (1, 2, 2)):
            blocks = []
            for i in range(n):
                blocks.append(BasicBlock(in_ch, out_ch, stride if i == 0 else 1))
                in_ch = out_ch
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = layers
        self.linear = NormedLinear(64, num_classes) if use_norm else nn.Linear(64, num_classes)
        # He initialisation, as in the paper
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.linear(out)


def resnet32(num_classes=10, use_norm=False):
    """ResNet-32: 5 basic blocks per stage. `use_norm=True` uses the cosine classifier."""
    return ResNet([5, 5, 5], num_classes=num_classes, use_norm=use_norm)
