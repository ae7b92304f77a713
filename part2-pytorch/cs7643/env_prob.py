"""The notebook's set-up check: can Python see your files, and which versions is it using?

say_hello_do_you_copy(path) calls the hello_do_you_copy() of every graded file of Part 2
(each prints "Roger that from <file>.py!") and prints when each file was last saved, so
you can tell whether Colab picked up your latest edits.
"""
import os
import time

from models.cnn import hello_do_you_copy as cnn_
from models.my_model import hello_do_you_copy as mm_
from models.resnet import hello_do_you_copy as rn_
from models.twolayer import hello_do_you_copy as tl_
from losses.focal_loss import hello_do_you_copy as fl_

_MODELS = ["cnn", "my_model", "resnet", "twolayer"]
_LOSSES = ["focal_loss"]


def _print_edit_times(drive_path: str, folder: str, names) -> None:
    for name in names:
        path = os.path.join(drive_path, folder, name + ".py")
        print("%s.py last edited on %s" % (name, time.ctime(os.path.getmtime(path))))


def say_hello_do_you_copy(drive_path: str) -> None:
    """Print a hello from every graded file and the time each was last edited.

    Inputs:
    - drive_path: the part2-pytorch folder (GOOGLE_DRIVE_PATH in the notebook)
    """
    print("---------- Models ------------------")
    for hello in (cnn_, mm_, rn_, tl_):
        hello()
    _print_edit_times(drive_path, "models", _MODELS)
    print()
    print("---------- Losses ------------------")
    fl_()
    _print_edit_times(drive_path, "losses", _LOSSES)
