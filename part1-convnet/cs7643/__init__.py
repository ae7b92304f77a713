"""Part 1's helper package: the CIFAR-10 dataset and its download, the training loop
(solver), the submission zip and the notebook's set-up check (env_prob)."""
from . import cifar10, submit, visiondataset, solver, env_prob
from .utils import download_and_extract_archive, check_integrity
