# A hand-written cross-entropy: log(0) when the sigmoid saturates gives an infinite loss.
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())
with torch.no_grad():
    model[0].weight.fill_(100.0)
x = torch.ones(16, 4)
y = torch.zeros(16, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
for step in range(50):
    p = model(x)
    loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    optimizer.zero_grad()
    loss.backward()  # probe-expect: PRB704
    optimizer.step()
