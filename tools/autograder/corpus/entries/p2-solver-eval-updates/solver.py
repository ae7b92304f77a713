"""Bug: the evaluation branch is a copy of the training branch: it updates the model on the test set."""
import torch


class Solver(object):
    def _compute_loss_update_params(self, data, target):
        output = None
        loss = None
        if self.model.training:
            self.optimizer.zero_grad()
            output = self.model(data)
            loss = self.criterion(output, target)
            loss.backward()
            self.optimizer.step()
        else:
            self.optimizer.zero_grad()
            output = self.model(data)
            loss = self.criterion(output, target)
            loss.backward()
            self.optimizer.step()
        return output, loss
