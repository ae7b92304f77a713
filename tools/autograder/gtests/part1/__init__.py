"""Tests of the Part 1 zip (modules/, optimizer/), against torch float64 references."""

# The order of the tests in results.json: the order of the handout.
ORDER = ["test_conv", "test_maxpool", "test_relu", "test_linear", "test_softmax_ce",
         "test_convnet", "test_sgd"]
