"""Bug: never clears the gradients, so every step also applies all earlier batches' gradients."""
import torch


class Solver(object):
    def _compute_loss_update_params(self, data, target):
        output = None
        loss = None
        if self.model.training:
            output = self.model(data)
            loss = self.criterion(output, target)
            loss.backward()
            self.optimizer.step()
        else:
            with torch.no_grad():
                output = self.model(data)
                loss = self.criterion(output, target)
        return output, loss
