# A distance with sqrt(0): the loss is finite, its gradient is not.
import torch
import torch.nn as nn

encoder = nn.Linear(8, 4)
optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-3)
anchor = torch.ones(32, 8)
for step in range(20):
    a = encoder(anchor)
    b = encoder(anchor)
    distance = torch.sqrt(((a - b) ** 2).sum(dim=1))
    loss = distance.mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()  # probe-expect: PRB705
