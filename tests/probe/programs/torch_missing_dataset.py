# The training data lives on the author's machine; the model can still be checked.
import numpy as np
import torch
import torch.nn as nn

table = np.loadtxt("/data/experiments/train_features.csv", delimiter=",")  # probe-expect: PRB709
features = torch.tensor(table[:, :-1], dtype=torch.float32)
labels = torch.tensor(table[:, -1]).long()


class TabularNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x):
        return self.layers(x)


model = TabularNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    optimizer.zero_grad()
    loss = criterion(model(features), labels)
    loss.backward()
    optimizer.step()
