# PyTorch on a CSV: loss is nan
import pandas as pd
import torch
import torch.nn as nn

df = pd.read_csv('data/heart.csv')
X = torch.tensor(df.drop('target', axis=1).values, dtype=torch.float32)
y = torch.tensor(df['target'].values, dtype=torch.long)

model = nn.Sequential(nn.Linear(X.shape[1], 16), nn.ReLU(), nn.Linear(16, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(100):
    optimizer.zero_grad()
    loss = criterion(model(X), y)
    loss.backward()
    optimizer.step()
