"""MyModel: your own network for CIFAR-10.

Design freely (no published network as-is, no pretrained weights). The
solver builds it as ``MyModel()``, so the constructor takes no arguments,
and the graded checkpoint is evaluated with the standard test transform
(normalisation only), in ``eval()`` mode.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def hello_do_you_copy():
    """Prints a line, so the notebook can check that Python sees this file."""
    print("Roger that from my_model.py!")


# BEGIN SOLUTION: helper layers of the reference design (the starter has none) | drop
class _WeightGradByMatmul(torch.autograd.Function):
    """A 3x3 convolution (padding 1, stride 1, no bias) whose weight gradient is 9 matmuls.

    Why: on CPU in bfloat16, PyTorch's weight gradient for 256-channel convolutions
    (oneDNN's) took 3 to 5 times as long as the forward pass here; written as one
    matrix product per filter tap, the 7x7 layers' gradient is about 1.8 times
    faster and the 3x3 layer's about 5 times (on the measured machine, batch
    1024). Same values up to bfloat16 rounding. The input gradient stays PyTorch's.
    """

    @staticmethod
    def forward(ctx, x, weight):
        if torch.is_autocast_enabled("cpu"):  # the conv would run in bfloat16 anyway
            x = x.to(torch.get_autocast_dtype("cpu"))
        w = weight.to(x.dtype)
        ctx.save_for_backward(x, w)
        ctx.weight_dtype = weight.dtype
        return F.conv2d(x, w, padding=1)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        grad_x = grad_w = None
        if ctx.needs_input_grad[0]:
            grad_x = torch.nn.grad.conv2d_input(x.shape, w, grad, padding=1)
        if ctx.needs_input_grad[1]:
            grad_w = weight_grad_by_matmul(x, grad).to(ctx.weight_dtype)
        return grad_x, grad_w


def weight_grad_by_matmul(x, grad):
    """Weight gradient of a 3x3 convolution (padding 1, stride 1): (C_out, C_in, 3, 3).

    x: its input (N, C_in, H, W); grad: the gradient of its output (N, C_out, H, W).
    """
    n, c_in, h, w = x.shape
    # (N*H*W, C) rows, one per pixel: views when the tensors are channels_last
    g = grad.permute(0, 2, 3, 1).reshape(-1, grad.shape[1]).t()     # (C_out, N*H*W)
    padded = F.pad(x.permute(0, 2, 3, 1), (0, 0, 1, 1, 1, 1))     # (N, H+2, W+2, C_in)
    taps = grad.new_empty(grad.shape[1], 3, 3, c_in)
    for i in range(3):      # tap (i, j) sees the input shifted by (i-1, j-1)
        for j in range(3):
            shifted = padded[:, i:i + h, j:j + w, :].reshape(-1, c_in)  # (N*H*W, C_in)
            torch.mm(g, shifted, out=taps[:, i, j, :])
    return taps.permute(0, 3, 1, 2)


class Conv3x3(nn.Conv2d):
    """nn.Conv2d(c_in, c_out, 3, padding=1, bias=False); on CPU, in training, with at least
    128 input channels, its weight gradient comes from _WeightGradByMatmul (PyTorch's is
    faster for fewer channels, and on GPU). Same parameters, so checkpoints are unchanged.
    """

    def __init__(self, c_in, c_out):
        super().__init__(c_in, c_out, 3, padding=1, bias=False)

    def forward(self, x):
        if self.training and x.device.type == "cpu" and self.in_channels >= 128 and torch.is_grad_enabled():
            return _WeightGradByMatmul.apply(x, self.weight)
        return super().forward(x)
# END SOLUTION


class MyModel(nn.Module):
    """Your CIFAR-10 classifier.

    Shape:
        - Input: ``(N, 3, 32, 32)``, normalised images.
        - Output: ``(N, 10)``, class scores (logits).
    """

    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION: initialize the network weights (layers of your own design) | stub: pass
        # Reference design (staff); MYMODEL.md explains each choice. Sized so
        # that a 20-minute training run fits a 2-core CPU. Ideas from fast
        # CIFAR-10 training work (DAWNBench ResNet-9-style entries, airbench):
        # - A fixed "whitening" first layer: 2x2 filters that decorrelate the
        #   pixels of each 2x2 patch, computed from the first training batch
        #   (see forward). The next layers then start from inputs of
        #   equal variance in every direction, which speeds up early training.
        # - Three stages conv -> max pool -> BN -> GELU -> conv -> BN -> GELU
        #   (64/256/256 channels): a few wide layers use a CPU's vector units
        #   far better than ResNet-32's many thin ones, and pooling right after
        #   the first conv makes BN, GELU and the second conv 4x cheaper.
        # - Batch norm with its scale fixed at 1 and its shift learnt 64x
        #   faster than the weights (see norm).
        # - In each conv the first c_in filters start as the identity (dirac),
        #   the others random, so the untrained network passes the whitened
        #   image through.
        # - A global max pool, a linear layer and small logits (logit_scale):
        #   small initial scores keep high-learning-rate steps stable.
        # - Test-time augmentation in eval() mode (see forward).
        widths = (64, 256, 256)  # channels of the three stages
        patch = 2 * 2 * 3        # values in a 2x2 RGB patch

        # +/- each whitening filter, so the GELU after it loses nothing
        self.whiten = nn.Conv2d(3, 2 * patch, 2)                 # 32x32 -> 31x31
        self.whiten.weight.requires_grad_(False)                 # fixed, not trained
        # set once, from the first training batch; saved with the weights
        self.register_buffer("whitened", torch.tensor(False))
        # Its bias (where each GELU bends) is learnt, from 0, during the first
        # 150,000 training images (3 epochs of CIFAR-10), then fixed (airbench
        # does this too): early on it finds useful thresholds, later it would
        # only follow the noise of the steps. images_seen counts the images.
        nn.init.zeros_(self.whiten.bias)
        self.whiten_bias_images = 150_000
        self.register_buffer("images_seen", torch.tensor(0))

        def norm(c):
            # Batch norm as airbench has it. The conv before it is scale-free
            # (BN undoes any scaling), so a learnt BN scale adds nothing but
            # noise: it stays 1. The shift's gradient is multiplied by 64,
            # which gives it the SGD step of a 64x learning rate (with the
            # same weight decay per step): the shifts set which units are
            # active, and a short run needs them to move fast. The running
            # statistics follow the changing weights quickly (momentum 0.4).
            bn = nn.BatchNorm2d(c, momentum=0.4, eps=1e-12)
            bn.weight.requires_grad_(False)
            bn.bias.register_hook(lambda grad: 64 * grad)
            return bn

        def stage(c_in, c_out):
            # conv, then pool, then BN and GELU at the lower resolution,
            # then a second conv there. bias=False: BN follows each conv.
            return [Conv3x3(c_in, c_out), nn.MaxPool2d(2), norm(c_out), nn.GELU(),
                    Conv3x3(c_out, c_out), norm(c_out), nn.GELU()]

        self.features = nn.Sequential(
            nn.GELU(),
            *stage(2 * patch, widths[0]),                # 31x31 -> 15x15
            *stage(widths[0], widths[1]),                # -> 7x7
            *stage(widths[1], widths[2]),                # -> 3x3
            nn.AdaptiveMaxPool2d(1), nn.Flatten())       # (N, widths[2])
        self.classifier = nn.Linear(widths[2], 10, bias=False)
        self.logit_scale = 0.125
        for m in self.features:
            if isinstance(m, nn.Conv2d):  # identity on the first c_in outputs
                nn.init.dirac_(m.weight.data[:m.in_channels])
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
        outs = None
        # BEGIN SOLUTION: implement the forward pass
        if self.training and not self.whitened:
            # The first training batch sets the whitening filters. With C the
            # covariance of the 2x2 patches of x and C = V diag(l) V^T, the filters
            # are the rows of diag(l + eps)^-1/2 V^T: each output channel is one
            # principal direction of the patches, scaled to unit variance.
            with torch.no_grad(), torch.autocast(x.device.type, enabled=False):
                eps = 5e-4
                patches = F.unfold(x.float(), 2).transpose(1, 2).reshape(-1, x.shape[1] * 4)
                patches = patches - patches.mean(0)
                cov = patches.T @ patches / len(patches)
                eigval, eigvec = torch.linalg.eigh(cov)
                filters = (eigvec.T / (eigval + eps).sqrt().unsqueeze(1)).view(-1, x.shape[1], 2, 2)
                self.whiten.weight.copy_(torch.cat([filters, -filters]))
                self.whitened.fill_(True)

        bias = self.whiten.bias
        if not self.training or self.images_seen >= self.whiten_bias_images:
            bias = bias.detach()  # no gradient: the optimizer leaves it alone (no decay either)

        def logits(images):
            white = F.conv2d(images, self.whiten.weight, bias)
            return self.classifier(self.features(white)) * self.logit_scale

        if self.training:
            outs = logits(x)
            self.images_seen += len(x)
        else:
            # Test-time augmentation: average the scores of the image and its
            # mirror (CIFAR-10 is left-right symmetric), each also shifted by one
            # pixel up-left and down-right (edges repeated); unshifted views count
            # double. Because it is in forward, the graded path gets it too.
            views = [x, torch.flip(x, dims=[3])]
            padded = [F.pad(v, (1, 1, 1, 1), mode="replicate") for v in views]
            shifted = [p[:, :, a:a + 32, a:a + 32] for p in padded for a in (0, 2)]
            outs = (2 * sum(logits(v) for v in views) + sum(logits(v) for v in shifted)) / 8
        # END SOLUTION
        return outs
