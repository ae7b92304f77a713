"""Small helpers of Part 2: CIFAR-10 download and verification (cifar10.py, shared with
Part 1) and the Gradescope zip (submit.py)."""
