"""Variant: index loops over self.modules; backward passes each layer's dx to the one before."""


class ConvNet:
    def forward(self, x, y):
        probs = None
        loss = None
        out = x
        for i in range(len(self.modules)):
            out = self.modules[i].forward(out)
        probs, loss = self.criterion.forward(out, y)
        return probs, loss

    def backward(self):
        self.criterion.backward()
        grad = self.criterion.dx
        for i in range(len(self.modules) - 1, -1, -1):
            self.modules[i].backward(grad)
            grad = self.modules[i].dx
