import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)


# dl-lsp repro: A2 stand-in model
net = Net()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
