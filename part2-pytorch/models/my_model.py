"""MyModel: your own network for CIFAR-10.

Design freely (no published network as-is, no pretrained weights). The
solver builds it as ``MyModel()``, so the constructor takes no arguments,
and the graded checkpoint is evaluated with the standard test transform
(normalisation only), in ``eval()`` mode.
"""
import torch
import torch.nn as nn


class MyModel(nn.Module):
    """Your CIFAR-10 classifier.

    Shape:
        - Input: ``(N, 3, 32, 32)``, normalised images.
        - Output: ``(N, 10)``, class scores (logits).
    """

    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION: define the layers of your network | stub: pass
        # Reference design (staff). A wide-but-shallow plain CNN, sized so
        # that a 30-minute training run fits a 2-core CPU. Ideas taken from
        # fast CIFAR-10 training work (DAWNBench ResNet-9-style entries,
        # airbench), and why:
        # - Conv-BN-GELU layers with max pooling, three stages of two convs
        #   (32 -> 16 -> 8 -> 4 pixels, 64/192/256 channels): a few wide
        #   layers run much faster per FLOP on a CPU than many thin ones
        #   (ResNet-32 spends its time on 16-64-channel layers that use the
        #   vector units poorly), and pooling right after the first conv of
        #   a stage makes BN, GELU and the second conv 4x cheaper.
        # - No residual connections: with six conv layers and batch norm
        #   the network trains well without them, and stays simple.
        # - A global max pool and a linear layer whose output is scaled
        #   down (logit_scale): small initial logits keep the first steps of
        #   a high-learning-rate run stable.
        # - Test-time augmentation inside the model: in eval() mode the
        #   logits of the image and of its mirror image are averaged.
        #   CIFAR-10 classes are left-right symmetric, so this is a free gain
        #   of a few tenths of a percent, and because it lives in forward the
        #   graded path (MyModel() + the standard test transform) gets it too.
        # The training recipe (label smoothing 0.2, Nesterov SGD, warm-up
        # then linear decay, batch 512, bfloat16 autocast) lives in
        # configs/config_mymodel.yaml; the measured run (90.91% after 10
        # epochs on the shared CPU) is in MYMODEL.md.
        widths = (64, 192, 256)  # channels of the three stages

        def stage(c_in, c_out):
            # conv, then pool, then batch norm and GELU at the lower resolution
            # (4x cheaper than before pooling, and max pooling nearly commutes
            # with them), then a second conv at that resolution.
            # bias=False: each conv is followed by a batch norm, which shifts.
            return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
                    nn.MaxPool2d(2), nn.BatchNorm2d(c_out), nn.GELU(),
                    nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
                    nn.BatchNorm2d(c_out), nn.GELU()]

        self.features = nn.Sequential(
            *stage(3, widths[0]),                        # 32x32 -> 16x16
            *stage(widths[0], widths[1]),                # -> 8x8
            *stage(widths[1], widths[2]),                # -> 4x4
            nn.AdaptiveMaxPool2d(1), nn.Flatten())       # (N, widths[2])
        self.classifier = nn.Linear(widths[2], 10, bias=False)
        self.logit_scale = 0.125  # small initial logits, see the notes above
        # END SOLUTION

    def forward(self, x):
        """Compute class scores.

        Inputs:
        - x: ``(N, 3, 32, 32)`` tensor of normalised images.

        Returns:
        - ``(N, 10)`` tensor of logits. In ``eval()`` mode these may include
          test-time augmentation, since the graded evaluation calls the model
          in ``eval()`` mode on normalised test images.
        """
        # BEGIN SOLUTION: compute the class scores of x
        def logits(images):
            return self.classifier(self.features(images)) * self.logit_scale

        if self.training:
            return logits(x)
        # Test-time augmentation: average the scores of x and its mirror.
        return 0.5 * (logits(x) + logits(torch.flip(x, dims=[3])))
        # END SOLUTION
