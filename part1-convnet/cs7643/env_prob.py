"""The notebook's set-up check: can Python see your files, and which versions is it using?

say_hello_do_you_copy(path) calls the hello_do_you_copy() of every graded file (each prints
"Roger that from <file>.py!") and prints when each file was last saved, so you can tell
whether Colab picked up your latest edits.
"""
import os
import time

from modules.conv_classifier import hello_do_you_copy as cc_
from modules.softmax_ce import hello_do_you_copy as sce_
from modules.linear import hello_do_you_copy as ln_
from modules.relu import hello_do_you_copy as rl_
from modules.max_pool import hello_do_you_copy as ml_
from modules.convolution import hello_do_you_copy as cv_
from optimizer._base_optimizer import hello_do_you_copy as bo_
from optimizer.sgd import hello_do_you_copy as sgd_

_MODULES = ["conv_classifier", "softmax_ce", "linear", "relu", "max_pool", "convolution"]
_OPTIMIZERS = ["_base_optimizer", "sgd"]


def _print_edit_times(drive_path: str, folder: str, names) -> None:
    for name in names:
        path = os.path.join(drive_path, folder, name + ".py")
        print("%s.py last edited on %s" % (name, time.ctime(os.path.getmtime(path))))


def say_hello_do_you_copy(drive_path: str) -> None:
    """Print a hello from every graded file and the time each was last edited.

    Inputs:
    - drive_path: the part1-convnet folder (GOOGLE_DRIVE_PATH in the notebook)
    """
    print("---------- Modules ------------------")
    for hello in (cc_, sce_, ln_, rl_, ml_, cv_):
        hello()
    _print_edit_times(drive_path, "modules", _MODULES)
    print()
    print("---------- Optimizer ------------------")
    for hello in (bo_, sgd_):
        hello()
    _print_edit_times(drive_path, "optimizer", _OPTIMIZERS)
