import torch
import torch.nn as nn

model = nn.Linear(13, 1)
criterion = nn.MSELoss(size_average=False)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
