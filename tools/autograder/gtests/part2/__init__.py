"""Tests of the Part 2 zip (configs/, losses/, checkpoints/, models/, solver.py)."""

# The order of the tests in results.json: the order of the handout.
ORDER = ["test_solver", "test_models", "test_checkpoints", "test_focal_loss", "test_configs"]
# the probes of this part (probes/part2.py), run beside the student's code
PROBES = "part2"
