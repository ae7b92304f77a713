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


class TestSoftmaxCrossEntropyErrors(unittest.TestCase):
    """Issue 13: bad labels and scores are refused with a message, never used silently."""

    def setUp(self):
        self.x = np.arange(12, dtype=float).reshape(4, 3) / 10.0   # 4 samples, 3 classes

    def check(self, y, error, pattern, x=None):
        with self.assertRaisesRegex(error, pattern):
            SoftmaxCrossEntropy().forward(self.x if x is None else x, y)

    def test_negative_label_is_refused_not_wrapped(self):
        # NumPy would read -1 as "the last class": the loss would be finite and wrong.
        self.check(np.array([0, 1, 2, -1]), ValueError,
                   r"expects labels in \[0, 3\) for 3 classes, got -1; labels are class "
                   r"indices 0..2")

    def test_label_too_large(self):
        self.check(np.array([0, 1, 3, 1]), ValueError, r"labels in \[0, 3\) .* got 3")

    def test_float_labels(self):
        self.check(np.array([0.0, 1.0, 2.0, 1.0]), TypeError,
                   r"integer class labels y, got dtype float64; convert them with y.astype\(int\)")
        self.check(np.array([True, False, True, True]), TypeError, "got dtype bool")

    def test_label_count_mismatch(self):
        self.check(np.array([0, 1, 2]), ValueError,
                   "got scores for 4 samples but 3 labels; x and y must describe the same batch")

    def test_labels_of_wrong_rank(self):
        # (N, 1) labels would broadcast against arange(N) into an (N, N) pick: a wrong loss.
        self.check(np.array([[0], [1], [2], [1]]), ValueError,
                   r"labels y of shape \(N,\) = \(4,\), got shape \(4, 1\); flatten it with "
                   r"y.reshape\(-1\)")
        self.check(np.eye(3, dtype=int)[[0, 1, 2, 1]], ValueError,
                   r"got shape \(4, 3\); y looks one-hot: pass y.argmax\(axis=1\)")

    def test_scores_not_2d(self):
        self.check(np.array([1]), ValueError, r"scores x of shape \(N, K\), .* got shape \(3,\); "
                   r"for a single sample use x\[None\]", x=np.zeros(3))
        self.check(np.zeros(0, dtype=int), ValueError, r"got shape \(0, 3\)", x=np.zeros((0, 3)))
        self.check(np.array([0]), TypeError, "numeric scores x, got dtype <U1",
                   x=np.array([["a", "b"]]))

    def test_lists_work_like_arrays(self):
        # Independent value: -log softmax of [0, 1] at class 1 = log(1 + e^-1).
        probs, loss = SoftmaxCrossEntropy().forward([[0.0, 1.0]], [1])
        self.assertAlmostEqual(loss, np.log1p(np.exp(-1.0)), places=12)
        np.testing.assert_allclose(probs, [[1 / (1 + np.e), np.e / (1 + np.e)]], rtol=1e-12)

    def test_valid_labels_of_every_integer_type(self):
        # The checks change nothing for valid input: same loss for int64, int32, uint8, lists.
        expected = -np.mean([np.log(np.exp(r[c]) / np.exp(r).sum())
                             for r, c in zip(self.x, [0, 2, 1, 2])])
        for y in (np.array([0, 2, 1, 2]), np.array([0, 2, 1, 2], dtype=np.int32),
                  np.array([0, 2, 1, 2], dtype=np.uint8), [0, 2, 1, 2]):
            with self.subTest(y=repr(y)):
                self.assertAlmostEqual(SoftmaxCrossEntropy().forward(self.x, y)[1], expected,
                                       places=12)


class TestHyperparameterErrors(unittest.TestCase):
    """Issue 13: stride 0, negative padding and other impossible sizes fail at construction."""

    def test_conv_stride_zero(self):   # was a ZeroDivisionError in forward
        with self.assertRaisesRegex(ValueError, r"Conv2D: stride must be an int >= 1, got 0; "
                                                r"pass e.g. stride=1"):
            Conv2D(3, 8, 3, 0, 0)

    def test_conv_negative_padding(self):   # was silently a smaller output
        with self.assertRaisesRegex(ValueError, r"Conv2D: padding must be an int >= 0, got -1"):
            Conv2D(3, 8, 3, 1, -1)

    def test_conv_other_sizes(self):
        for kwargs, pattern in [(dict(kernel_size=0), "kernel_size must be an int >= 1, got 0"),
                                (dict(kernel_size=-1), "kernel_size must be an int >= 1, got -1"),
                                (dict(kernel_size=3.0), "kernel_size must be an int >= 1, got 3.0"),
                                (dict(stride=1.5), "stride must be an int >= 1, got 1.5"),
                                (dict(out_channels=0), "out_channels must be an int >= 1"),
                                (dict(in_channels="3"), "in_channels must be an int >= 1, got '3'")]:
            args = dict(in_channels=3, out_channels=8, kernel_size=3, stride=1, padding=0)
            args.update(kwargs)
            with self.subTest(**{k: repr(v) for k, v in kwargs.items()}):
                with self.assertRaisesRegex(ValueError, "Conv2D: " + pattern):
                    Conv2D(**args)

    def test_maxpool_stride_and_kernel(self):
        with self.assertRaisesRegex(ValueError, r"MaxPooling: stride must be an int >= 1, got 0"):
            MaxPooling(2, 0)
        with self.assertRaisesRegex(ValueError, r"MaxPooling: kernel_size must be an int >= 1, "
                                                r"got -2"):
            MaxPooling(-2, 2)
        with self.assertRaisesRegex(ValueError, r"kernel_size must be an int >= 1, got 2.0"):
            MaxPooling(2.0, 2)

    def test_linear_sizes(self):
        with self.assertRaisesRegex(ValueError, r"Linear: in_dim must be a positive int .* got 0"):
            Linear(0, 10)
        with self.assertRaisesRegex(ValueError, r"Linear: out_dim must be a positive int .* got -10"):
            Linear(8192, -10)

    def test_numpy_integers_are_accepted(self):
        layer = Conv2D(np.int64(3), np.int64(2), np.int64(3), np.int64(1), np.int64(1))
        self.assertEqual(layer.weight.shape, (2, 3, 3, 3))
        self.assertEqual(MaxPooling(np.int32(2), np.int32(2)).forward(np.ones((1, 1, 4, 4))).shape,
                         (1, 1, 2, 2))


class TestDoutShapeErrors(unittest.TestCase):
    """Issue 13: a wrongly shaped upstream gradient names the layer and the shape it needs."""

    def test_relu(self):
        layer = ReLU()
        layer.forward(np.ones((4, 3)))
        # np.where would broadcast a (1, 3) dout over the batch and return a wrong dx.
        with self.assertRaisesRegex(ValueError, r"ReLU.backward expects dout of shape \(4, 3\) "
                                                r".* got \(1, 3\); pass the gradient of this "
                                                r"layer's output"):
            layer.backward(np.ones((1, 3)))

    def test_linear(self):
        layer = Linear(3, 2)
        layer.forward(np.ones((4, 3)))
        with self.assertRaisesRegex(ValueError, r"Linear.backward expects dout of shape "
                                                r"\(N, out_dim\) = \(4, 2\), .* got \(4, 3\)"):
            layer.backward(np.ones((4, 3)))

    def test_conv(self):
        layer = Conv2D(3, 4, kernel_size=3, stride=2, padding=1)
        layer.forward(np.ones((2, 3, 7, 7)))        # H' = (7 + 2 - 3) // 2 + 1 = 4
        with self.assertRaisesRegex(ValueError, r"Conv2D.backward expects dout of shape "
                                                r"\(N, F, H', W'\) = \(2, 4, 4, 4\), .* got "
                                                r"\(2, 4, 7, 7\)"):
            layer.backward(np.ones((2, 4, 7, 7)))

    def test_maxpool(self):
        layer = MaxPooling(2, 2)
        layer.forward(np.ones((2, 3, 7, 7)))        # H' = (7 - 2) // 2 + 1 = 3
        with self.assertRaisesRegex(ValueError, r"MaxPooling.backward expects dout of shape "
                                                r"\(N, C, H', W'\) = \(2, 3, 3, 3\), .* got "
                                                r"\(2, 3, 4, 4\)"):
            layer.backward(np.ones((2, 3, 4, 4)))


class TestListInputs(unittest.TestCase):
    """Issue 13: nested lists work like arrays; non-numeric input is refused by name."""

    def test_relu_list_forward_and_backward(self):
        layer = ReLU()
        np.testing.assert_array_equal(layer.forward([[1.0, -2.0]]), [[1.0, 0.0]])
        layer.backward([[3.0, 4.0]])
        np.testing.assert_array_equal(layer.dx, [[3.0, 0.0]])

    def test_conv_list_input(self):
        layer = Conv2D(1, 1, kernel_size=1)
        layer.weight[...] = 2.0
        np.testing.assert_array_equal(layer.forward([[[[1.0, 2.0], [3.0, 4.0]]]]),
                                      [[[[2.0, 4.0], [6.0, 8.0]]]])

    def test_maxpool_and_linear_list_input(self):
        np.testing.assert_array_equal(MaxPooling(2, 2).forward([[[[1, 5], [3, 4]]]]), [[[[5]]]])
        layer = Linear(2, 1)
        layer.weight[...] = [[1.0], [10.0]]
        np.testing.assert_array_equal(layer.forward([[1.0, 2.0]]), [[21.0]])

    def test_non_numeric_and_ragged_input(self):
        for layer, bad in [(ReLU(), [["a"]]), (Conv2D(1, 1), np.array([[[["x"]]]])),
                           (MaxPooling(1, 1), [[[["x"]]]]), (Linear(1, 1), [["x"]])]:
            with self.subTest(layer=type(layer).__name__):
                with self.assertRaisesRegex(TypeError, type(layer).__name__ + r".* numeric array"):
                    layer.forward(bad)
        with self.assertRaisesRegex(TypeError, r"ReLU: the input x must be a numeric array; "
                                               r"could not convert it"):
            ReLU().forward([[1.0, 2.0], [3.0]])

    def test_single_sample_without_batch_axis(self):
        with self.assertRaisesRegex(ValueError, r"Linear expects a batch of shape .* got shape "
                                                r"\(3,\); for a single sample add the batch axis"):
            Linear(3, 2).forward(np.ones(3))
        with self.assertRaisesRegex(ValueError, r"MaxPooling expects a 4-D input .* add a batch "
                                                r"axis with x\[None\]"):
            MaxPooling(2, 2).forward(np.ones((3, 4, 4)))


class TestConvNetErrors(unittest.TestCase):
    NET = [dict(type="Linear", in_dim=12, out_dim=3)]
    LOSS = dict(type="SoftmaxCrossEntropy")

    def test_label_count_checked_before_the_layers_run(self):
        net = ConvNet(self.NET, self.LOSS)
        with self.assertRaisesRegex(ValueError, r"ConvNet.forward expects images x .* and labels "
                                                r"y \(N,\) for the same N, got x of shape "
                                                r"\(4, 12\) and y of shape \(3,\)"):
            net.forward(np.ones((4, 12)), np.zeros(3, dtype=int))
        self.assertIsNone(net.modules[0].cache)     # the Linear layer never ran

    def test_negative_label_through_the_network(self):
        net = ConvNet(self.NET, self.LOSS)
        with self.assertRaisesRegex(ValueError, r"labels in \[0, 3\) for 3 classes, got -1"):
            net.forward(np.ones((2, 12)), np.array([0, -1]))

    def test_descriptions_must_be_a_list_of_dicts(self):
        with self.assertRaisesRegex(ValueError, r"a list of layer descriptions .* got "
                                                r"\{'type': 'ReLU'\}; wrap a single layer in a list"):
            ConvNet(dict(type="ReLU"), self.LOSS)
        with self.assertRaisesRegex(ValueError, r"each layer description must be a dict .* got "
                                                r"'ReLU'"):
            ConvNet(["ReLU"], self.LOSS)
        with self.assertRaisesRegex(ValueError, r"criterion as a dict, got 'SoftmaxCrossEntropy'; "
                                                r"pass dict\(type='SoftmaxCrossEntropy'\)"):
            ConvNet(self.NET, "SoftmaxCrossEntropy")


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
