"""Bug: backward visits the layers in forward order instead of reverse order."""


class ConvNet:
    def forward(self, x, y):
        probs = None
        loss = None
        for m in self.modules:
            x = m.forward(x)
        probs, loss = self.criterion.forward(x, y)
        return probs, loss

    def backward(self):
        self.criterion.backward()
        dout = self.criterion.dx
        for m in self.modules:
            m.backward(dout)
            dout = m.dx
