"""Part 1's small helper package: CIFAR-10 download, the training loop, the submission zip."""
