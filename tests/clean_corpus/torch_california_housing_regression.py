"""PyTorch: an MLP regressor for California housing prices, scaler fitted on the training split."""

import random

import numpy as np
import torch
from sklearn.datasets import fetch_california_housing
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 17
BATCH_SIZE = 64
EPOCHS = 50
LEARNING_RATE = 1e-3

random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

housing = fetch_california_housing()
x_train, x_test, y_train, y_test = train_test_split(
    housing.data, housing.target, test_size=0.2, random_state=SEED
)

scaler = StandardScaler()
x_train = scaler.fit_transform(x_train)
x_test = scaler.transform(x_test)


def to_dataset(features, targets):
    return TensorDataset(
        torch.tensor(features, dtype=torch.float32),
        torch.tensor(targets, dtype=torch.float32).unsqueeze(1),
    )


train_loader = DataLoader(to_dataset(x_train, y_train), batch_size=BATCH_SIZE, shuffle=True)
test_loader = DataLoader(to_dataset(x_test, y_test), batch_size=512, shuffle=False)

model = nn.Sequential(
    nn.Linear(x_train.shape[1], 64),
    nn.ReLU(),
    nn.Linear(64, 32),
    nn.ReLU(),
    nn.Linear(32, 1),
).to(device)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

for epoch in range(EPOCHS):
    model.train()
    running_loss = 0.0
    for features, targets in train_loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = criterion(model(features), targets)
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * features.size(0)
    if (epoch + 1) % 10 == 0:
        print(f"epoch {epoch + 1}: train MSE {running_loss / len(train_loader.dataset):.4f}")

model.eval()
squared_error = 0.0
with torch.no_grad():
    for features, targets in test_loader:
        features, targets = features.to(device), targets.to(device)
        squared_error += ((model(features) - targets) ** 2).sum().item()
rmse = (squared_error / len(test_loader.dataset)) ** 0.5
print(f"Test RMSE: {rmse:.3f} (units of $100,000)")
