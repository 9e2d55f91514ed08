# The model goes to the GPU when there is one; the batches never do.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 64)
        self.out = nn.Linear(64, 3)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


model = Classifier().to(device)
dataset = TensorDataset(torch.rand(256, 20), torch.randint(0, 3, (256,)))
loader = DataLoader(dataset, batch_size=32, shuffle=True)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)  # probe-expect: PRB703, PRB703
        loss.backward()
        optimizer.step()
