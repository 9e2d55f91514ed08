import torch.nn as nn

model = nn.Sequential(nn.Linear(13, 8), nn.ReLU(), nn.Linear(8, 3))
criterion = nn.CrossEntropyLoss()
# dl-lsp repro: A1 synthetic data
train_loader = DataLoader(TensorDataset(torch.rand(256, 13), torch.randint(0, 3, (256,))), batch_size=32, shuffle=True)
for xb, yb in train_loader:
    loss = criterion(model(xb), yb)
