"""Tests of the Part 1 zip (modules/, optimizer/), against torch float64 references.

softmax_ce.py and optimizer/_base_optimizer.py are given complete by the course: they
are not graded, and the runner uses the given versions in place of the submitted ones.
"""

# The order of the tests in results.json: the order of the handout.
ORDER = ["test_conv", "test_maxpool", "test_relu", "test_linear", "test_convnet", "test_sgd"]
# the probes of this part (probes/part1.py), run beside the student's code
PROBES = "part1"
