"""Part 2's helper package: the CIFAR-10 dataset and its download (cifar10, fetch, utils,
visiondataset: shared with Part 1), the submission zip and the notebook's set-up check."""
from . import cifar10, submit, visiondataset, env_prob
from .utils import download_and_extract_archive, check_integrity
