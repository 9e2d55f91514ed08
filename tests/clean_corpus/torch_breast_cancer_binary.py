"""PyTorch: a binary tabular classifier (breast cancer data) trained on logits with BCEWithLogitsLoss."""

import random

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.utils.data import DataLoader, TensorDataset

SEED = 99
BATCH_SIZE = 32
EPOCHS = 60


class BinaryClassifier(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.hidden1 = nn.Linear(num_features, 16)
        self.hidden2 = nn.Linear(16, 8)
        self.output = nn.Linear(8, 1)
        self.activation = nn.ReLU()
        self.dropout = nn.Dropout(0.2)

    def forward(self, x):
        x = self.dropout(self.activation(self.hidden1(x)))
        x = self.activation(self.hidden2(x))
        return self.output(x)  # a logit; the loss applies the sigmoid


random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

features, labels = load_breast_cancer(return_X_y=True)
x_train, x_test, y_train, y_test = train_test_split(
    features, labels, test_size=0.2, stratify=labels, random_state=SEED
)
scaler = StandardScaler().fit(x_train)
x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)

train_set = TensorDataset(
    torch.tensor(x_train, dtype=torch.float32), torch.tensor(y_train, dtype=torch.float32)
)
train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True)

model = BinaryClassifier(x_train.shape[1]).to(device)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)

for epoch in range(EPOCHS):
    model.train()
    running_loss = 0.0
    for inputs, targets in train_loader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        logits = model(inputs).squeeze(1)
        loss = criterion(logits, targets)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    if epoch % 10 == 0:
        print(f"epoch {epoch}: loss {running_loss / len(train_loader):.4f}")

model.eval()
with torch.no_grad():
    test_inputs = torch.tensor(x_test, dtype=torch.float32, device=device)
    probabilities = torch.sigmoid(model(test_inputs).squeeze(1)).cpu().numpy()
accuracy = ((probabilities >= 0.5) == y_test).mean()
print(f"Test accuracy {accuracy:.3f}, ROC AUC {roc_auc_score(y_test, probabilities):.3f}")
