"""Train and evaluate the Part 2 models on CIFAR-10 (regular or long-tailed).

    solver = Solver(**kwargs)     # the keys of a config file, flattened (see the notebook)
    solver.train()

or, from this folder: python -m solver --config configs/config_twolayer.yaml

Every epoch trains on the whole training set and evaluates on the CIFAR-10 test set,
printing progress every 10 batches, then each class's accuracy and the top-1 accuracy
("* Prec @1"). At the end it prints the best top-1 accuracy and saves the best model's
weights to checkpoints/<model name lower-cased>.pth (twolayernet.pth, vanillacnn.pth,
mymodel.pth, resnet-32.pth), unless better weights are there already: those are kept and
a line says where this run's best went (train_utils.CheckpointKeeper).

Your part is _compute_loss_update_params. The optional keys of this kit (speed, seeds,
run records, other learning-rate schedules) are explained in train_utils.py.
"""
import copy
import math
import os
import pathlib
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision  # noqa: F401  (the datasets are torchvision's CIFAR10, see data/)
import torchvision.transforms as transforms
from torch.utils.data import DataLoader

import config
import train_utils
from data import CIFAR10, Imbalanced_CIFAR10
from losses import FocalLoss, reweight
from models import MyModel, TwoLayerNet, VanillaCNN, resnet32


class AverageMeter(object):
    """Keeps the latest value of a quantity and its average, weighted by batch size."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.val = 0
        self.avg = 0
        self.sum = 0
        self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


class Solver(object):
    """Builds the data, model, loss and optimizer from keyword arguments, and trains.

    Keyword arguments (config keys) and defaults:
    - path_prefix=".": the folder holding data/cifar10 (the training set)
    - imbalance="regular": "regular" or "imbalance" (long-tailed CIFAR-10, see data/)
    - batch_size=128
    - model="TwoLayerNet": "TwoLayerNet", "VanillaCNN", "MyModel" or "ResNet-32"
    - device="cpu": "cpu", "cuda" or "mps"
    - loss_type="CE": "CE" (cross-entropy) or "Focal" (class-balanced focal loss)
    - learning_rate=0.0001, momentum=0.9, reg=0.0005 (SGD weight decay)
    - beta=0.9999, gamma=1.0: the focal loss's class weights (reweight) and focusing term
    - steps=[6, 8], epochs=10, warmup=0: see _adjust_learning_rate
    - save_best=True: save the best model's weights to checkpoints/
    Optional keys of this kit: see train_utils.py; the defaults and checks of all keys are in
    config.py. Other keys are ignored (with a warning).
    """

    def __init__(self, **kwargs):
        self.path_prefix = kwargs.pop("path_prefix", ".")
        self.imbalance = kwargs.pop("imbalance", "regular")
        self.batch_size = kwargs.pop("batch_size", 128)
        self.model_type = kwargs.pop("model", "TwoLayerNet")
        self.device = kwargs.pop("device", "cpu")
        self.loss_type = kwargs.pop("loss_type", "CE")
        self.lr = kwargs.pop("learning_rate", 0.0001)
        self.momentum = kwargs.pop("momentum", 0.9)
        self.reg = kwargs.pop("reg", 0.0005)
        self.beta = kwargs.pop("beta", 0.9999)
        self.gamma = kwargs.pop("gamma", 1.0)
        self.steps = kwargs.pop("steps", [6, 8])
        self.epochs = kwargs.pop("epochs", 10)
        self.warmup = kwargs.pop("warmup", 0)
        self.save_best = kwargs.pop("save_best", True)
        # this kit's optional keys (train_utils.py), and a clear error for a bad value (config.py)
        self.extras = config.pop_extras(kwargs)
        config.check_solver(self)
        seed = self.extras["seed"]
        if seed is not None:  # the same config then gives the same run
            torch.manual_seed(seed)
        self.generator = torch.Generator().manual_seed(seed) if seed is not None else None
        self.memory_format = torch.channels_last if self.extras["channels_last"] else torch.contiguous_format

        transform_train = transforms.Compose([
            transforms.RandomCrop(32, padding=4),
            transforms.RandomHorizontalFlip(),
            transforms.ToTensor(),
            transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)),
        ])
        root = os.path.join(self.path_prefix, "data", "cifar10")
        if self.imbalance == "regular":
            train_dataset = CIFAR10(root=root, train=True, download=True, transform=transform_train)
            cls_num_list = np.bincount(np.asarray(train_dataset.targets), minlength=10).tolist()
        else:
            train_dataset = Imbalanced_CIFAR10(root=root, transform=transform_train)
            cls_num_list = train_dataset.get_cls_num_list()
        # class-balanced weights for the focal loss, from whichever training set is used
        if self.loss_type == "Focal":
            per_cls_weights = reweight(cls_num_list, beta=self.beta).to(self.device)
        else:
            per_cls_weights = None

        transform_test = transforms.Compose([
            transforms.ToTensor(),
            transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)),
        ])
        # the test set lives in ./data, relative to the folder you run from
        test_dataset = CIFAR10(root=self.extras["test_root"] or "./data", train=False, download=True,
                               transform=transform_test)
        if self.extras["fast_data"]:
            # the same batches, made from the images in memory (train_utils.InMemoryLoader)
            self.train_loader = train_utils.InMemoryLoader(
                train_dataset, self.batch_size, shuffle=True, augment=True, device=self.device,
                generator=self.generator, crop_padding=self.extras["crop_padding"],
                memory_format=self.memory_format, flip=self.extras["flip"])
            self.val_loader = train_utils.InMemoryLoader(test_dataset, 100, device=self.device,
                                                         memory_format=self.memory_format)
        else:
            self.train_loader = DataLoader(train_dataset, batch_size=self.batch_size, shuffle=True,
                                           generator=self.generator)
            self.val_loader = DataLoader(test_dataset, batch_size=100, shuffle=False, num_workers=2)

        if self.model_type == "TwoLayerNet":
            self.model = TwoLayerNet(3072, 256, 10)
        elif self.model_type == "VanillaCNN":
            self.model = VanillaCNN()
        elif self.model_type == "MyModel":
            self.model = MyModel()
        elif self.model_type == "ResNet-32":
            self.model = resnet32()
        print(self.model)
        train_utils.check_model(self.model)
        self.model = self.model.to(self.device, memory_format=self.memory_format)
        if self.extras["channels_last"]:  # and its gradients too: faster on CPU (train_utils.py)
            train_utils.channels_last_gradients(self.model)

        if self.loss_type == "CE":
            self.criterion = nn.CrossEntropyLoss(label_smoothing=self.extras["label_smoothing"])
        elif self.loss_type == "Focal":
            self.criterion = FocalLoss(weight=per_cls_weights, gamma=self.gamma)
        else:  # a loss type that the config's loss_module registered (config.LOSSES)
            self.criterion = config.LOSSES[self.loss_type](self, cls_num_list)
        self.criterion.to(self.device)

        self.optimizer = torch.optim.SGD(self.model.parameters(), self.lr, momentum=self.momentum,
                                         weight_decay=self.reg, nesterov=self.extras["nesterov"])
        if self.extras["lookahead"]:  # this kit's extra: weight averaging (train_utils.Lookahead)
            self.optimizer = train_utils.Lookahead(self.optimizer, self.model, self.extras["lookahead"],
                                                   self.epochs * len(self.train_loader))
        self._reset()

    def _reset(self):
        self.best = 0.0
        self.best_cm = None
        self.best_model = None
        # this kit's extras: where the weights go, and runs/<run_name>/ records (resumable)
        folder = self.extras["checkpoint_dir"] or pathlib.Path(__file__).parent.resolve() / "checkpoints"
        self.checkpoint_path = os.path.join(str(folder), self.model_type.lower() + ".pth")
        self.keeper = train_utils.CheckpointKeeper()
        self.saved_path = None
        self.records = train_utils.RunRecords(self, self.extras["run_name"]) if self.extras["run_name"] else None
        self.start_epoch = self.records.load_state(self) if self.records and self.extras["resume"] else 0

    def train(self):
        """Train for all epochs (evaluating each), print the best result, save the best weights."""
        try:
            for epoch in range(self.start_epoch, self.epochs):
                start = time.time()
                self._adjust_learning_rate(epoch)
                train_loss, train_acc = self._train_step(epoch)
                if not math.isfinite(train_loss):
                    raise train_utils.diverged(self, epoch, train_loss)
                acc, cm = None, None
                if (epoch + 1) % self.extras["test_every"] == 0 or epoch + 1 == self.epochs:
                    acc, cm = self._evaluate(epoch)
                    if acc > self.best:
                        self.best = acc
                        self.best_cm = cm
                        self.best_model = copy.deepcopy(self.model)
                        if self.records is not None:  # keep the best weights even if the run stops
                            self.records.best_epoch = epoch + 1
                            self._save_best_model()
                if self.records is not None:
                    self.records.add_epoch(self, epoch, train_loss, train_acc, acc, time.time() - start)
        except (KeyboardInterrupt, FloatingPointError):
            self._save_best_model()  # a stopped run keeps what its finished epochs learnt
            raise

        print("Best Prec @1 Accuracy: {:.4f}".format(self.best))
        if self.best_cm is not None:
            per_cls_acc = self.best_cm.diag().detach().numpy().tolist()
            for i, acc_i in enumerate(per_cls_acc):
                print("Accuracy of Class {}: {:.4f}".format(i, acc_i))
        self._save_best_model()

    def _save_best_model(self):
        # CPU tensors (they load without map_location), written atomically; better weights
        # already in checkpoint_path are kept (train_utils.CheckpointKeeper says where these go)
        if self.save_best and self.best_model is not None:
            self.saved_path = self.keeper.save(self)

    def _train_step(self, epoch):
        """One pass over the training set; returns the average loss and accuracy."""
        iter_time = AverageMeter()
        losses = AverageMeter()
        acc = AverageMeter()

        self.model.train()

        for idx, (data, target) in enumerate(self.train_loader):
            start = time.time()
            if self.extras["schedule"] != "course":  # this kit's per-iteration schedules
                train_utils.set_lr(self.optimizer, train_utils.iteration_lr(
                    self, epoch, idx, len(self.train_loader)))

            data = data.to(self.device)
            target = target.to(self.device)

            with train_utils.autocast(self):  # mixed precision if amp is on, else nothing
                out, loss = self._compute_loss_update_params(data, target)
            train_utils.check_step(out, loss)  # a clear error while the method is still to write

            batch_acc = self._check_accuracy(out, target)

            losses.update(loss.item(), out.shape[0])
            acc.update(batch_acc, out.shape[0])

            iter_time.update(time.time() - start)
            if idx % 10 == 0:
                print(("Epoch: [{0}][{1}/{2}]\t"
                       "Time {iter_time.val:.3f} ({iter_time.avg:.3f})\t"
                       "Loss {loss.val:.4f} ({loss.avg:.4f})\t"
                       "Prec @1 {top1.val:.4f} ({top1.avg:.4f})\t").format(
                    epoch, idx, len(self.train_loader), iter_time=iter_time, loss=losses, top1=acc))
        return losses.avg, float(acc.avg)

    def _evaluate(self, epoch):
        """Evaluate on the test set; returns the top-1 accuracy and the row-normalised confusion matrix."""
        iter_time = AverageMeter()
        losses = AverageMeter()
        acc = AverageMeter()

        self.model.eval()

        num_class = 10
        cm = torch.zeros(num_class, num_class)
        for idx, (data, target) in enumerate(self.val_loader):
            start = time.time()

            data = data.to(self.device)
            target = target.to(self.device)

            with train_utils.autocast(self):
                out, loss = self._compute_loss_update_params(data, target)
            train_utils.check_step(out, loss)

            batch_acc = self._check_accuracy(out, target)

            # confusion matrix: rows are true classes, columns predicted ones
            _, preds = torch.max(out, 1)
            cm += torch.bincount(target.view(-1) * num_class + preds.view(-1),
                                 minlength=num_class * num_class).view(num_class, num_class).cpu()

            losses.update(loss.item(), out.shape[0])
            acc.update(batch_acc, out.shape[0])

            iter_time.update(time.time() - start)
            if idx % 10 == 0:
                print(("Epoch: [{0}][{1}/{2}]\t"
                       "Time {iter_time.val:.3f} ({iter_time.avg:.3f})\t").format(
                    epoch, idx, len(self.val_loader), iter_time=iter_time))
        self.eval_loss, self.eval_counts = losses.avg, cm.clone()  # for this kit's run records

        cm = cm / cm.sum(1, keepdim=True)
        per_cls_acc = cm.diag().detach().numpy().tolist()
        for i, acc_i in enumerate(per_cls_acc):
            print("Accuracy of Class {}: {:.4f}".format(i, acc_i))

        print("* Prec @1: {:.4f}".format(acc.avg))
        return float(acc.avg), cm

    def _check_accuracy(self, output, target):
        """Fraction of the batch whose highest score is the true class (a tensor)."""
        batch_size = target.shape[0]

        _, pred = torch.max(output, dim=-1)

        correct = pred.eq(target).sum() * 1.0

        acc = correct / batch_size

        return acc

    def _compute_loss_update_params(self, data, target):
        """One batch: the forward pass and its loss; in training mode also one SGD update.

        Inputs:
        - data: (N, 3, 32, 32) float tensor of normalised images, on self.device
        - target: (N,) long tensor of class indices

        Returns a tuple of:
        - output: (N, 10) class scores of self.model
        - loss: scalar tensor, self.criterion(output, target)

        Use self.model, self.criterion and self.optimizer. In training mode
        (self.model.training) also compute the gradients and update the parameters;
        otherwise compute no gradients.
        """
        output = None
        loss = None
        if self.model.training:
            # BEGIN SOLUTION: compute the output and the loss, then update the parameters | stub: pass
            #: 1. forward the batch through the model
            #: 2. compute the loss of the batch
            #: 3. compute the gradients and update the model's parameters
            output = self.model(data)
            loss = self.criterion(output, target)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            # END SOLUTION
        else:
            # BEGIN SOLUTION: compute the output and loss of the batch, without gradients | stub: pass
            #: HINT: torch.no_grad()
            with torch.no_grad():
                output = self.model(data)
                loss = self.criterion(output, target)
            # END SOLUTION
        return output, loss

    def _adjust_learning_rate(self, epoch):
        """Set the learning rate of `epoch` (0-based): linear warm-up over the first `warmup`
        epochs, then the base rate, x0.1 after epoch steps[0] and x0.01 after epoch steps[1]."""
        epoch += 1
        if epoch <= self.warmup:
            lr = self.lr * epoch / self.warmup
        elif epoch > self.steps[1]:
            lr = self.lr * 0.01
        elif epoch > self.steps[0]:
            lr = self.lr * 0.1
        else:
            lr = self.lr
        for param_group in self.optimizer.param_groups:
            param_group["lr"] = lr


if __name__ == "__main__":
    import sys
    sys.exit(train_utils.main(Solver))
