"""The long-tailed (imbalanced) CIFAR-10 training set of the Data Wrangling part."""
import numpy as np
import torchvision  # noqa: F401  (the parent class is torchvision.datasets.CIFAR10)

from .verified_cifar10 import CIFAR10


class Imbalanced_CIFAR10(CIFAR10):
    """CIFAR-10 with fewer images in some classes, made by subsampling each class.

    A torchvision.datasets.CIFAR10 (through the kit's content-checked subclass), so
    `data`, `targets`, `classes` and `__getitem__` work as there.

    Inputs:
    - root, train, transform, target_transform, download: as torchvision's CIFAR10
    - imb_type: 'exp' (the count decays exponentially from class 0 to class 9) or
      'step' (the first half of the classes keep all images, the rest a fraction);
      any other value keeps every image
    - imb_factor: smallest / largest class size (0.01: "imbalance factor 100")
    - rand_number: NumPy seed that decides which images of a class are kept

    With img_max = len(data) / 10 (5000.0 for the training set), class i keeps
    int(img_max * imb_factor ** (i / 9)) images in 'exp' mode:
    [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50] for imb_factor = 0.01.
    The kept images are grouped by class (class 0 first); `num_per_cls_dict`
    maps each class to its count.
    """

    cls_num = 10

    def __init__(self, root, imb_type='exp', imb_factor=0.01, rand_number=0, train=True,
                 transform=None, target_transform=None, download=False):
        super().__init__(root, train, transform, target_transform, download)
        # one seed for the whole subsampling: the same rand_number gives the same subset
        np.random.seed(rand_number)
        img_num_list = self.get_img_num_per_cls(self.cls_num, imb_type, imb_factor)
        self.gen_imbalanced_data(img_num_list)

    def get_img_num_per_cls(self, cls_num, imb_type, imb_factor):
        """Number of images to keep in each class: a list of cls_num ints."""
        img_max = len(self.data) / cls_num
        img_num_per_cls = []
        if imb_type == 'exp':
            for cls_idx in range(cls_num):
                img_num_per_cls.append(int(img_max * imb_factor ** (cls_idx / (cls_num - 1.0))))
        elif imb_type == 'step':
            for cls_idx in range(cls_num // 2):
                img_num_per_cls.append(int(img_max))
            for cls_idx in range(cls_num // 2):
                img_num_per_cls.append(int(img_max * imb_factor))
        else:
            img_num_per_cls.extend([int(img_max)] * cls_num)
        return img_num_per_cls

    def gen_imbalanced_data(self, img_num_per_cls):
        """Keep img_num_per_cls[i] random images of the i-th class (classes in ascending order).

        Uses NumPy's global random state (seeded in __init__): per class, the indices
        of its images are shuffled with np.random.shuffle and the first ones kept.
        """
        new_data = []
        new_targets = []
        targets_np = np.array(self.targets, dtype=np.int64)
        classes = np.unique(targets_np)
        self.num_per_cls_dict = dict()
        for the_class, the_img_num in zip(classes, img_num_per_cls):
            self.num_per_cls_dict[the_class] = the_img_num
            idx = np.where(targets_np == the_class)[0]
            np.random.shuffle(idx)
            selec_idx = idx[:the_img_num]
            new_data.append(self.data[selec_idx, ...])
            new_targets.extend([the_class] * the_img_num)
        self.data = np.vstack(new_data)
        self.targets = new_targets

    def get_cls_num_list(self):
        """Per-class image counts, class 0 first (a list of cls_num ints)."""
        return [self.num_per_cls_dict[i] for i in range(self.cls_num)]
