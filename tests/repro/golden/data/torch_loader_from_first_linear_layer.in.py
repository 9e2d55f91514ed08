import torch.nn as nn

model = nn.Sequential(nn.Linear(13, 8), nn.ReLU(), nn.Linear(8, 3))
criterion = nn.CrossEntropyLoss()
for xb, yb in train_loader:
    loss = criterion(model(xb), yb)
