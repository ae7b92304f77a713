"""Base class of the kit's image datasets (the interface of torchvision's VisionDataset)."""
import os


class VisionDataset():
    """A dataset of (image, target) pairs stored under `root`.

    Inputs:
    - root: folder the dataset lives in ('~' is expanded)
    - transforms: a function of (image, target) returning both transformed; give either
      this or the two below, not both
    - transform: a function applied to the image only
    - target_transform: a function applied to the target only

    Subclasses implement __getitem__ and __len__ (and may override extra_repr).
    """

    _repr_indent = 4   # spaces before each line of the body in repr(dataset)

    def __init__(self, root, transforms=None, transform=None, target_transform=None):
        if isinstance(root, str):
            root = os.path.expanduser(root)
        self.root = root

        has_transforms = transforms is not None
        has_separate = transform is not None or target_transform is not None
        if has_transforms and has_separate:
            raise ValueError("Only transforms or transform/target_transform can be passed as "
                             "argument, not both: wrap your two functions in one `transforms` "
                             "or pass them separately")
        self.transform = transform
        self.target_transform = target_transform
        if has_separate:
            transforms = StandardTransform(transform, target_transform)
        self.transforms = transforms

    def __getitem__(self, index):
        raise NotImplementedError("%s must implement __getitem__" % type(self).__name__)

    def __len__(self):
        raise NotImplementedError("%s must implement __len__" % type(self).__name__)

    def __repr__(self):
        head = "Dataset " + self.__class__.__name__
        body = ["Number of datapoints: {}".format(self.__len__())]
        if self.root is not None:
            body.append("Root location: {}".format(self.root))
        body += self.extra_repr().splitlines()
        if getattr(self, "transforms", None) is not None:
            body += [repr(self.transforms)]
        lines = [head] + [" " * self._repr_indent + line for line in body]
        return "\n".join(lines)

    def _format_transform_repr(self, transform, head):
        lines = repr(transform).splitlines()
        return ["{}{}".format(head, lines[0])] + \
            ["{}{}".format(" " * len(head), line) for line in lines[1:]]

    def extra_repr(self):
        """Extra lines for repr(dataset); '' by default."""
        return ""


class StandardTransform:
    """Applies `transform` to the input and `target_transform` to the target (either may be None)."""

    def __init__(self, transform=None, target_transform=None):
        self.transform = transform
        self.target_transform = target_transform

    def __call__(self, input, target):
        if self.transform is not None:
            input = self.transform(input)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return input, target

    def _format_transform_repr(self, transform, head):
        lines = repr(transform).splitlines()
        return ["{}{}".format(head, lines[0])] + \
            ["{}{}".format(" " * len(head), line) for line in lines[1:]]

    def __repr__(self):
        body = [self.__class__.__name__]
        if self.transform is not None:
            body += self._format_transform_repr(self.transform, "Transform: ")
        if self.target_transform is not None:
            body += self._format_transform_repr(self.target_transform, "Target transform: ")
        return "\n".join(body)
