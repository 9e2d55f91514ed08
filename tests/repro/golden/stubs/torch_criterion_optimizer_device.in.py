import torch
import torch.nn as nn

model = nn.Linear(10, 3)
model.to(device)
x = torch.randn(4, 10)
loss = criterion(model(x), torch.tensor([0, 1, 2, 0]))
optimizer.zero_grad()
