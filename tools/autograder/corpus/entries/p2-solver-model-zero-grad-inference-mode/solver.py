"""Variant: model.zero_grad() instead of optimizer.zero_grad(); eval under torch.inference_mode()."""
import torch


class Solver(object):
    def _compute_loss_update_params(self, data, target):
        output = None
        loss = None
        if self.model.training:
            self.model.zero_grad()
            output = self.model(data)
            loss = self.criterion(output, target)
            loss.backward()
            self.optimizer.step()
        else:
            with torch.inference_mode():
                output = self.model(data)
                loss = self.criterion(output, target)
        return output, loss
