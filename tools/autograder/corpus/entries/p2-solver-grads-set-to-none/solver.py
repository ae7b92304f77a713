"""Variant: clears every parameter's .grad by hand; the eval branch runs inside torch.no_grad() too."""
import torch


class Solver(object):
    def _compute_loss_update_params(self, data, target):
        output = None
        loss = None
        if self.model.training:
            for param in self.model.parameters():
                param.grad = None
            output = self.model(data)
            loss = self.criterion(output, target)
            loss.backward()
            self.optimizer.step()
        else:
            with torch.no_grad():
                output = self.model.forward(data)
                loss = self.criterion(output, target)
        return output, loss
