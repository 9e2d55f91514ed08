import torch

model = torch.nn.Linear(5, 1)
criterion = torch.nn.MSELoss()
inputs = torch.from_numpy(X)
targets = torch.from_numpy(y)
loss = criterion(model(inputs), targets)
