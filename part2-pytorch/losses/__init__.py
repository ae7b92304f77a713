"""Loss functions of Part 2."""
from .focal_loss import FocalLoss, reweight

__all__ = ["FocalLoss", "reweight"]
