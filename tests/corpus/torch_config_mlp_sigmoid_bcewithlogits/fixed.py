# fixes: LLM
import json

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

with open('config.json') as f:
    cfg = json.load(f)

X = np.load(cfg['features_path']).astype(np.float32)
y = np.load(cfg['labels_path']).astype(np.float32)
X = (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)

dataset = TensorDataset(torch.from_numpy(X), torch.from_numpy(y).unsqueeze(1))
train_loader = DataLoader(dataset, batch_size=cfg['batch_size'], shuffle=True)

model = nn.Sequential(
    nn.Linear(cfg['n_features'], cfg['hidden']),
    nn.ReLU(),
    nn.Dropout(cfg['dropout']),
    nn.Linear(cfg['hidden'], cfg['hidden'] * 2),
    nn.ReLU(),
    nn.Dropout(cfg['dropout']),
    nn.Linear(cfg['hidden'] * 2, 1),
)

pos_weight = torch.tensor([(y == 0).sum() / max((y == 1).sum(), 1)])
criterion = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
optimizer = torch.optim.Adam(model.parameters(), lr=cfg['lr'])

for epoch in range(cfg['epochs']):
    total = 0.0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    print(epoch, total / len(dataset))

with torch.no_grad():
    scores = torch.sigmoid(model(torch.from_numpy(X))).squeeze(1).numpy()
print('positives predicted:', int((scores > 0.5).sum()), 'of', int(y.sum()))
