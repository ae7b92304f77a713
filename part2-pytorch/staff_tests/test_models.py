"""Parameter counts, output shapes and structure of every Part 2 model."""
import contextlib
import io
import unittest

import torch
import torch.nn as nn

from models import MyModel, TwoLayerNet, VanillaCNN, resnet32
from models import resnet as resnet_module
from models.resnet import BasicBlock


def n_params(model):
    return sum(p.numel() for p in model.parameters())


class TestModels(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.x = torch.randn(4, 3, 32, 32)

    def test_twolayer(self):
        model = TwoLayerNet(3072, 256, 10)
        self.assertEqual(n_params(model), 3072 * 256 + 256 + 256 * 10 + 10)
        self.assertEqual(tuple(model(self.x).shape), (4, 10))
        self.assertTrue(any(isinstance(m, nn.Sigmoid) for m in model.modules()))
        # flatten -> linear -> sigmoid -> linear, checked by hand
        lin = [m for m in model.modules() if isinstance(m, nn.Linear)]
        h = torch.sigmoid(self.x.flatten(1) @ lin[0].weight.T + lin[0].bias)
        torch.testing.assert_close(model(self.x), h @ lin[1].weight.T + lin[1].bias)

    def test_vanilla_cnn(self):
        model = VanillaCNN()
        self.assertEqual(n_params(model), 32 * 3 * 7 * 7 + 32 + 32 * 13 * 13 * 10 + 10)
        self.assertEqual(tuple(model(self.x).shape), (4, 10))
        conv = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
        self.assertEqual(len(conv), 1)
        self.assertEqual((conv[0].kernel_size, conv[0].stride, conv[0].padding), ((7, 7), (1, 1), (0, 0)))
        pool = [m for m in model.modules() if isinstance(m, nn.MaxPool2d)]
        self.assertEqual((pool[0].kernel_size, pool[0].stride), (2, 2))

    def test_resnet32(self):
        model = resnet32()
        self.assertEqual(n_params(model), 464154)
        self.assertEqual(tuple(model(self.x).shape), (4, 10))
        layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
        self.assertEqual(len(layers), 32)
        normed = resnet32(use_norm=True)
        self.assertEqual(n_params(normed), 464154 - 10)  # no bias in the cosine classifier
        out = normed(self.x)
        self.assertEqual(tuple(out.shape), (4, 10))
        self.assertTrue((out.abs() <= 1 + 1e-5).all())  # cosine similarities
        self.assertEqual(tuple(resnet32(num_classes=100)(self.x).shape), (4, 100))

    def test_option_a_shortcut(self):
        x = torch.randn(2, 16, 8, 8)
        out = BasicBlock(16, 32, stride=2).shortcut(x)
        self.assertEqual(tuple(out.shape), (2, 32, 4, 4))
        torch.testing.assert_close(out[:, 8:24], x[:, :, ::2, ::2])
        self.assertEqual(out[:, :8].abs().sum().item(), 0.0)
        self.assertEqual(out[:, 24:].abs().sum().item(), 0.0)
        self.assertEqual(n_params(BasicBlock(16, 32, stride=2).shortcut), 0)
        # option B: a 1x1 convolution and BN, 16 * 32 + 2 * 32 parameters
        block = BasicBlock(16, 32, stride=2, option='B')
        self.assertEqual(n_params(block.shortcut), 16 * 32 + 2 * 32)
        self.assertEqual(tuple(block(x).shape), (2, 32, 4, 4))

    def test_resnet_family_parameter_counts(self):
        def expected(n):  # stem, then per stage: first block (maybe widening), n - 1 more; linear
            total, c_in = 3 * 16 * 9 + 2 * 16, 16
            for w in (16, 32, 64):
                for _ in range(n):
                    total += 9 * c_in * w + 9 * w * w + 4 * w
                    c_in = w
            return total + 64 * 10 + 10

        for name, n in (("resnet20", 3), ("resnet32", 5), ("resnet44", 7), ("resnet56", 9), ("resnet110", 18)):
            with self.subTest(name):
                self.assertEqual(n_params(getattr(resnet_module, name)()), expected(n))
        self.assertEqual(resnet_module.__all__, ['ResNet_s', 'resnet20', 'resnet32', 'resnet44', 'resnet56',
                                                 'resnet110', 'resnet1202'])

    def test_resnet_test_helper_prints_counts(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            resnet_module.test(resnet32())
        self.assertEqual(out.getvalue(), "Total number of params 464154\nTotal layers 32\n")

    def test_hello_do_you_copy(self):
        import losses.focal_loss
        import models.cnn
        import models.my_model
        import models.twolayer
        for module, name in ((models.cnn, "cnn"), (models.my_model, "my_model"), (resnet_module, "resnet"),
                             (models.twolayer, "twolayer"), (losses.focal_loss, "focal_loss")):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                module.hello_do_you_copy()
            self.assertEqual(out.getvalue(), "Roger that from %s.py!\n" % name)

    def test_mymodel_shape(self):
        model = MyModel().eval()
        with torch.no_grad():
            self.assertEqual(tuple(model(self.x).shape), (4, 10))

    def test_mymodel_whitening(self):
        # The reference MyModel sets its fixed first layer from its first training
        # batch: every 2x2 patch of the output has (close to) identity covariance.
        model = MyModel().train()
        x = torch.randn(64, 3, 32, 32) * torch.tensor([1.0, 2.0, 3.0]).view(1, 3, 1, 1)
        x[:, 1] += 0.8 * x[:, 0]  # correlated channels
        model(x)
        self.assertTrue(bool(model.whitened))
        out = model.whiten(x)
        n = model.whiten.out_channels // 2  # the second half is the negated first half
        torch.testing.assert_close(out[:, n:], -out[:, :n])
        z = out[:, :n].transpose(0, 1).reshape(n, -1)
        z = z - z.mean(1, keepdim=True)
        cov = z @ z.T / z.shape[1]
        torch.testing.assert_close(cov, torch.eye(n), atol=2e-3, rtol=0)
        # set once: a later batch with other statistics changes nothing
        weight = model.whiten.weight.clone()
        model(3 * torch.randn(64, 3, 32, 32))
        self.assertTrue(torch.equal(model.whiten.weight, weight))
        self.assertFalse(model.whiten.weight.requires_grad)
        # saved with the weights: a fresh model loaded from the state_dict agrees in eval mode
        fresh = MyModel()
        fresh.load_state_dict(model.state_dict())
        model.eval(), fresh.eval()
        with torch.no_grad():
            torch.testing.assert_close(fresh(x), model(x))

    def test_mymodel_whitening_bias_trains_for_3_epochs_only(self):
        # The whitening bias starts at 0, gets gradients for the first 150,000 training images
        # (3 epochs of CIFAR-10), then none: the optimizer skips it (no decay, no momentum).
        model = MyModel().train()
        self.assertEqual(model.whiten_bias_images, 150_000)
        self.assertTrue(torch.equal(model.whiten.bias, torch.zeros(24)))
        model.whiten_bias_images = 16  # the same rule, on a small scale
        x = torch.randn(8, 3, 32, 32)
        grads = []
        for _ in range(3):  # images seen before each batch: 0, 8, 16
            model.zero_grad(set_to_none=True)
            model(x).sum().backward()
            grads.append(model.whiten.bias.grad)
        self.assertIsNotNone(grads[0])
        self.assertGreater(grads[1].abs().sum().item(), 0)
        self.assertIsNone(grads[2])
        self.assertEqual(int(model.images_seen), 24)
        model.eval()  # eval mode never counts, never trains it
        model.zero_grad(set_to_none=True)
        model(x).sum().backward()
        self.assertIsNone(model.whiten.bias.grad)
        self.assertEqual(int(model.images_seen), 24)

    def test_mymodel_conv3x3_gradients(self):
        # The reference's Conv3x3 computes its weight gradient itself on CPU (9 matrix
        # products) for 128+ input channels: same values as PyTorch's convolution, in float64
        # to rounding, and in bfloat16 autocast (the training setting, channels_last) to
        # bfloat16's precision; fewer channels and eval mode take nn.Conv2d's own path.
        from models.my_model import Conv3x3
        for c_in, c_out, size in ((128, 16, 5), (256, 8, 3), (4, 6, 7)):
            conv = Conv3x3(c_in, c_out).double()
            ref = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False).double()
            ref.weight.data.copy_(conv.weight.data)
            x = torch.randn(3, c_in, size, size + 1, dtype=torch.float64)
            grad = torch.randn(3, c_out, size, size + 1, dtype=torch.float64)
            for m in (conv, ref):
                xi = x.clone().requires_grad_()
                out = m(xi)
                out.backward(grad)
                m.x_grad = xi.grad
                if m is conv:  # the matmul path is taken exactly for 128+ input channels
                    self.assertEqual(type(out.grad_fn).__name__ == "_WeightGradByMatmulBackward", c_in >= 128)
            torch.testing.assert_close(conv.x_grad, ref.x_grad, rtol=1e-10, atol=1e-10)
            torch.testing.assert_close(conv.weight.grad, ref.weight.grad, rtol=1e-10, atol=1e-10)
            with torch.no_grad():
                torch.testing.assert_close(conv.eval()(x), ref(x), rtol=1e-12, atol=1e-12)
        # bfloat16 autocast, channels_last, float32 weights (as the Solver trains MyModel)
        conv = Conv3x3(256, 32).to(memory_format=torch.channels_last)
        x = torch.randn(8, 256, 7, 7).contiguous(memory_format=torch.channels_last)
        grad = torch.randn(8, 32, 7, 7).contiguous(memory_format=torch.channels_last)
        xi = x.clone().requires_grad_()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out = conv(xi)
        self.assertEqual(out.dtype, torch.bfloat16)
        out.backward(grad)
        self.assertEqual(conv.weight.grad.dtype, torch.float32)
        self.assertEqual(xi.grad.dtype, torch.float32)
        xd = x.double().requires_grad_()
        wd = conv.weight.detach().double().requires_grad_()
        torch.nn.functional.conv2d(xd, wd, padding=1).backward(grad.double())
        scale = wd.grad.abs().max().item()
        torch.testing.assert_close(conv.weight.grad.double(), wd.grad, rtol=0, atol=2e-2 * scale)
        self.assertGreater(torch.corrcoef(torch.stack([conv.weight.grad.double().flatten(),
                                                       wd.grad.flatten()]))[0, 1].item(), 0.9999)


if __name__ == "__main__":
    unittest.main()
