"""Bug: optimizer.step() comes before loss.backward(), so each step uses the previous batch's gradients."""
import torch


class Solver(object):
    def _compute_loss_update_params(self, data, target):
        output = None
        loss = None
        if self.model.training:
            self.optimizer.zero_grad()
            output = self.model(data)
            loss = self.criterion(output, target)
            self.optimizer.step()
            loss.backward()
        else:
            with torch.no_grad():
                output = self.model(data)
                loss = self.criterion(output, target)
        return output, loss
