"""Bad input gets a clear error that says what was expected."""
import os
import tempfile
import unittest

import numpy as np

from modules import Conv2D, ConvNet, Linear, MaxPooling, ReLU, SoftmaxCrossEntropy
from data import get_CIFAR10_data


class TestLayerErrors(unittest.TestCase):
    def test_conv_input_not_4d(self):
        with self.assertRaisesRegex(ValueError, r"4-D input \(N, C, H, W\), got shape \(3, 32, 32\)"):
            Conv2D(3, 8).forward(np.zeros((3, 32, 32)))

    def test_conv_wrong_channel_count(self):
        with self.assertRaisesRegex(ValueError, r"expects 3 input channels .* got shape \(2, 1, 8, 8\)"):
            Conv2D(3, 8).forward(np.zeros((2, 1, 8, 8)))

    def test_conv_input_smaller_than_kernel(self):
        with self.assertRaisesRegex(ValueError, "smaller than the 5x5 kernel"):
            Conv2D(1, 1, kernel_size=5).forward(np.zeros((1, 1, 3, 3)))

    def test_maxpool_input_not_4d(self):
        with self.assertRaisesRegex(ValueError, r"MaxPooling expects a 4-D input"):
            MaxPooling(2, 2).forward(np.zeros((4, 4)))

    def test_backward_before_forward(self):
        for layer, dout in [(Conv2D(1, 1), np.zeros((1, 1, 2, 2))),
                            (MaxPooling(2, 2), np.zeros((1, 1, 2, 2))),
                            (ReLU(), np.zeros((1, 2))), (Linear(2, 3), np.zeros((1, 3)))]:
            with self.subTest(layer=type(layer).__name__):
                with self.assertRaisesRegex(RuntimeError, type(layer).__name__ +
                                            r"\.backward\(\) was called before forward\(\)"):
                    layer.backward(dout)
        with self.assertRaisesRegex(RuntimeError, "called before forward"):
            SoftmaxCrossEntropy().backward()

    def test_linear_wrong_input_size(self):
        with self.assertRaisesRegex(ValueError, r"in_dim = 8192 values .* got input shape "
                                                r"\(2, 32, 8, 8\) \(2048 per sample\)"):
            Linear(8192, 10).forward(np.zeros((2, 32, 8, 8)))

    def test_unknown_layer_type_lists_valid_types(self):
        with self.assertRaisesRegex(ValueError, r"unknown layer type 'BatchNorm'; valid types "
                                                r"are: Conv2D, Linear, MaxPooling, ReLU"):
            ConvNet([dict(type="BatchNorm")], dict(type="SoftmaxCrossEntropy"))
        with self.assertRaisesRegex(ValueError, r"Wrong Criterion Passed: 'MSE'; the only "
                                                r"criterion is dict\(type='SoftmaxCrossEntropy'\)"):
            ConvNet([dict(type="ReLU")], dict(type="MSE"))

    def test_missing_layer_key_is_named(self):
        with self.assertRaisesRegex(ValueError, r"a Conv2D layer needs the keys in_channels, "
                                                r"out_channels, kernel_size, stride, padding; "
                                                r".* lacks stride, padding"):
            ConvNet([dict(type="Conv2D", in_channels=3, out_channels=8, kernel_size=3)],
                    dict(type="SoftmaxCrossEntropy"))


class TestDataErrors(unittest.TestCase):
    def test_missing_folder_says_how_to_get_it(self):
        with tempfile.TemporaryDirectory() as d:
            missing = os.path.join(d, "cifar-10-batches-py")
            with self.assertRaisesRegex(FileNotFoundError, r"not found in .*'Load the CIFAR10 "
                                                           r"dataset' cell.*`make data`"):
                get_CIFAR10_data(missing)

    def test_too_many_images_requested(self):
        with tempfile.TemporaryDirectory() as d:     # checked before anything is read
            with self.assertRaisesRegex(ValueError, "50000 training and 10000 test"):
                get_CIFAR10_data(d, num_test=20000)


if __name__ == "__main__":
    unittest.main()
