"""Writes CS7643-Assignment2-2.ipynb (no outputs, stable cell ids) -- staff only, not shipped.

    python make_notebook.py CS7643-Assignment2-2.ipynb

The notebook follows the course's cell flow (31 cells: set-up for Colab or a local
machine, the hello check, the data, the device, training from one chosen config, the
tests, the Data Wrangling instructions, the submission). Edit the text here and
regenerate, so that both stay the same.

The Colab cells run only inside Colab ('google.colab' in sys.modules); elsewhere they do
nothing, so the notebook also runs top to bottom locally and headless
(tools/run_notebook.py). With CS7643_SMOKE=1 (CI) the training cell runs one epoch on a
small copy of the data in a temporary folder (cs7643/smoke.py), so no checkpoint here is
touched.
"""
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = []


def md(text):
    cells.append(new_markdown_cell(text.strip()))


def code(text):
    cells.append(new_code_cell(text.strip()))


# 0
md(r"""
# CS 7643 Assignment 2, Part 2: train networks on CIFAR-10 using PyTorch
""")

# 1
md(r"""
Convolutional neural networks changed computer vision over the last decade. In this
assignment you first write a small CNN from scratch, with NumPy alone (Part 1), then
build networks with PyTorch and study how to train them when some classes are much rarer
than others (this part).
""")

# 2
md(r"""
# Setup Code
""")

# 3
md(r"""
Run the cell below first. It loads IPython's
[autoreload](https://ipython.readthedocs.io/en/stable/config/extensions/autoreload.html)
extension, so that your edits to the `.py` files are picked up without restarting the
kernel.
""")

# 4
code(r"""
%load_ext autoreload
%autoreload 2
""")

# 5
md(r"""
### Google Colab setup

On Colab, the next cell connects your Google Drive (follow the prompts that appear).
Working on your own machine? These Colab cells do nothing there: just run them.
""")

# 6
code(r"""
import sys

if 'google.colab' in sys.modules:
    from google.colab import drive
    drive.mount('/content/drive')
""")

# 7
md(r"""
Next, on Colab, set `GOOGLE_DRIVE_PATH_POST_MYDRIVE` to the folder of your Drive that
holds this notebook, relative to `My Drive`. If the path is right, the cell prints the
folder's content, something like:

`['CS7643-Assignment2-2.ipynb', 'checkpoints', 'configs', 'cs7643', 'data', 'losses', 'models', 'solver.py', 'tests']`
""")

# 8
code(r"""
import os

# TODO: the folder of this assignment in your Drive, relative to My Drive,
# e.g. 'CS7643/A2/part2-pytorch' (only used on Colab)
GOOGLE_DRIVE_PATH_POST_MYDRIVE = None

if 'google.colab' in sys.modules:
    if GOOGLE_DRIVE_PATH_POST_MYDRIVE is None:
        raise ValueError("set GOOGLE_DRIVE_PATH_POST_MYDRIVE above to the folder of this "
                         "notebook in your Drive, relative to My Drive")
    GOOGLE_DRIVE_PATH = os.path.join('/content', 'drive', 'MyDrive', GOOGLE_DRIVE_PATH_POST_MYDRIVE)
    print(os.listdir(GOOGLE_DRIVE_PATH))
""")

# 9
md(r"""
### Local setup or Google Colab

Run the next cell wherever you work. On your own machine it uses the folder the notebook
was started from, so start Jupyter in `part2-pytorch`.
""")

# 10
code(r"""
if 'google.colab' in sys.modules:
  print(f'Running in Google Colab, the assignment folder is {GOOGLE_DRIVE_PATH}')
else:
  GOOGLE_DRIVE_PATH = '.'
  print('Running locally.')
""")

# 11
md(r"""
Check that Python finds your files: the next cell should print

```
---------- Models ------------------
Roger that from cnn.py!
Roger that from my_model.py!
Roger that from resnet.py!
Roger that from twolayer.py!
cnn.py last edited on ...
my_model.py last edited on ...
resnet.py last edited on ...
twolayer.py last edited on ...

---------- Losses ------------------
Roger that from focal_loss.py!
focal_loss.py last edited on ...
```

The times tell you which version of each file Python sees. Drive can take a moment to
sync: if a file you just saved shows an older time, run the cell again.
""")

# 12
code(r"""
import sys
import numpy as np
import math

sys.path.append(GOOGLE_DRIVE_PATH)

from cs7643.env_prob import say_hello_do_you_copy

say_hello_do_you_copy(GOOGLE_DRIVE_PATH)
""")

# 13
md(r"""
# Load the CIFAR10 dataset

Run the next cell to download CIFAR-10's training set into `data/cifar10` (about 170 MB,
once). The files are checked after the download; when they are already there and intact,
the cell only says so. The test set is read from `./data`, relative to the folder you run
from; it is fetched there the first time a model is trained or tested.
""")

# 14
code(r"""
from cs7643.cifar10 import CIFAR10

cifar10_ds = CIFAR10(GOOGLE_DRIVE_PATH + '/data/cifar10', download=True, train=True)
""")

# 15
md(r"""
PyTorch trains much faster on a GPU (CUDA) or on Apple silicon (MPS). The next cell picks
the fastest device it finds; on Colab, choose a GPU runtime (Runtime > Change runtime
type) before running it.
""")

# 16
code(r"""
import torch

if torch.backends.mps.is_available():
    device = 'mps'
elif torch.cuda.is_available():
    device = 'cuda'
else:
    device = 'cpu'
print('Using device = ' + device)
if device == 'cpu':
    print('WARNING: no GPU found, so training runs on the CPU and is slower.')
""")

# 17
md(r"""
# Training

First get to know PyTorch's basic training step: read the
[PyTorch tutorial](https://pytorch.org/tutorials/beginner/basics/intro.html), then complete
`_compute_loss_update_params` in `solver.py`. In training mode it runs the forward pass,
computes the loss, back-propagates and updates the parameters; in evaluation mode it only
computes the output and the loss, without gradients.
""")

# 18
md(r"""
## PyTorch Model

Now build networks with PyTorch, in `models/`:

- **Two-layer network** (`models/twolayer.py`): the network of assignment 1, two fully
  connected layers with a sigmoid between them.
- **Vanilla CNN** (`models/cnn.py`): one convolution with 32 output channels, a 7x7 kernel,
  stride 1 and no padding, a ReLU, max pooling with a 2x2 kernel and stride 2, and a fully
  connected layer with 10 outputs.
- **Your own network** (`models/my_model.py`): design it yourself. Famous architectures
  used as they are, and pretrained weights, are not allowed.
""")

# 19
md(r"""
Each model has a config file in `configs/`. Train the two-layer network and the vanilla
CNN with their configs **unchanged**: expect a test accuracy of about 0.3 and 0.4. For your
own network, tune whatever you like: it needs more than 0.5 for partial credit (the
Gradescope tests show what full credit needs). Training saves the best weights of each
model in `./checkpoints`. Keep your submission under 100 MB, or Gradescope may refuse it.
""")

# 20
md(r"""
Choose the config to train below (or give the name of your own config file). After
changing a model's code you may need to restart the kernel.
""")

# 21
code(r"""
import yaml
from solver import Solver

# config_mymodel, config_twolayer, config_vanilla_cnn, or a config of your own
config_file = "config_mymodel"

path = GOOGLE_DRIVE_PATH + "/configs/" + config_file + ".yaml"
print("Training a model using configuration file " + path)
with open(path) as f:
    config = yaml.safe_load(f)

# the sections only group the keys: the Solver takes them all as keyword arguments
kwargs = {}
for section, values in config.items():
    for key, value in values.items():
        if key != 'description':
            kwargs[key] = value
kwargs['device'] = device
kwargs['path_prefix'] = GOOGLE_DRIVE_PATH
if os.environ.get('CS7643_SMOKE') == '1':
    # the kit's CI only: one epoch on a small copy of the data, written to a temporary folder
    from cs7643.smoke import smoke_kwargs
    kwargs.update(smoke_kwargs(GOOGLE_DRIVE_PATH + '/data/cifar10'))
print(kwargs)

solver = Solver(**kwargs)
solver.train()
""")

# 22
md(r"""
Train each model first: the next tests load its checkpoint and measure its accuracy on
the CIFAR-10 test set.
""")

# 23-25
code(r"""
!pytest -s {GOOGLE_DRIVE_PATH + '/tests/test_twolayer.py'}
""")
code(r"""
!pytest -s { GOOGLE_DRIVE_PATH + '/tests/test_mymodel.py'}
""")
code(r"""
!pytest -s {GOOGLE_DRIVE_PATH + '/tests/test_vanilla_cnn.py'}
""")

# 26
md(r"""
# Data Wrangling

## Class-Balanced Focal Loss

Real data is rarely balanced. Here the training set is a long-tailed version of CIFAR-10
(`imbalance: imbalance` in a config): class 0 keeps all its 5000 images, class 9 only 50.
Train ResNet-32 (`models/resnet.py`, given) on it. Then implement, in
`losses/focal_loss.py`, the class-balanced focal loss: class weights from the
"effective number of samples" of the
[Class-Balanced Loss paper](https://arxiv.org/abs/1901.05555) (`reweight`), applied to the
[Focal Loss](https://arxiv.org/abs/1708.02002) (`FocalLoss`). The tests expect the
**softmax** form of the focal loss, not the sigmoid one. Use PyTorch operations
throughout, so that autograd computes the gradients.
""")

# 27
code(r"""
!pytest -s {GOOGLE_DRIVE_PATH + '/tests/test_focalloss.py'}
""")

# 28
md(r"""
Follow the report template: first get the best result you can with ResNet-32 and the plain
cross-entropy loss on the long-tailed set, then try several values of beta, and finally
get the best result you can with the class-balanced focal loss. Write a config for each
experiment (set `imbalance` as needed) and keep them all in `configs/`: they go into your
submission.
""")

# 29
md(r"""
# Submit Your Work

When you are done, save every `.py` file you changed (on Colab, files edited in the browser
are not always saved by themselves), then run the next cell. It writes
`assignment_2_2_submission.zip` into the assignment folder, next to this notebook
(`CS7643-Assignment2-2.ipynb`), with your `models/`, `losses/`, `solver.py`, the three
checkpoints and every config. Upload that zip to Gradescope.
""")

# 30
code(r"""
from cs7643.submit import make_a2_2_submission

make_a2_2_submission(GOOGLE_DRIVE_PATH)
""")

assert len(cells) == 31, len(cells)

nb = new_notebook(cells=cells, metadata={
    "accelerator": "GPU",
    "colab": {"provenance": []},
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                   "name": "python3"},
    "language_info": {"name": "python", "version": "3.12.0"}})
for i, cell in enumerate(nb.cells):   # stable ids: rebuilding gives a clean diff
    cell["id"] = "cell-%02d" % i
nbformat.validate(nb)
nbformat.write(nb, sys.argv[1])
