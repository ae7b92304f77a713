#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (Ubuntu; the zip is unpacked into /autograder/source).
# It installs the Python packages the tests need and fetches the CIFAR-10 test set.
set -euo pipefail
cd /autograder/source

# Pick Gradescope's Ubuntu 24.04 base image: the pinned numpy needs Python >= 3.11.
if ! python3 -m venv /autograder/venv; then   # Debian/Ubuntu ship venv without ensurepip
    apt-get update -qq
    apt-get install -y -qq python3 python3-venv python3-pip
    python3 -m venv /autograder/venv
fi
# The CPU build of torch is enough (and much smaller than the CUDA one).
/autograder/venv/bin/pip install -q --disable-pip-version-check \
    --extra-index-url https://download.pytorch.org/whl/cpu -r requirements.txt

# CIFAR-10, verified by content, into /autograder/source/data/cifar-10-batches-py
/autograder/venv/bin/python support/part2-pytorch/cs7643/fetch.py data
