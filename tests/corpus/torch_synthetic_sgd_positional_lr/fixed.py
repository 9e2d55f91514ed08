# fixes: LOB
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

X, y = make_classification(n_samples=20000, n_features=20, n_informative=10, random_state=3)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=3)

train_ds = TensorDataset(torch.FloatTensor(X_train), torch.FloatTensor(y_train))
train_loader = DataLoader(train_ds, batch_size=128, shuffle=True)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(20, 16)
        self.hidden2 = nn.Linear(16, 8)
        self.output = nn.Linear(8, 1)
        self.act = nn.ReLU()

    def forward(self, x):
        x = self.act(self.hidden1(x))
        x = self.act(self.hidden2(x))
        return self.output(x)


model = Classifier()
loss_fn = nn.BCEWithLogitsLoss()
optimizer = optim.SGD(model.parameters(), 0.01, momentum=0.9)

for epoch in range(30):
    epoch_loss = 0.0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        logits = model(xb).squeeze(1)
        loss = loss_fn(logits, yb)
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item()
    print(f'epoch {epoch}: {epoch_loss / len(train_loader):.4f}')

with torch.no_grad():
    probs = torch.sigmoid(model(torch.FloatTensor(X_test)).squeeze(1))
    acc = ((probs > 0.5).float() == torch.FloatTensor(y_test)).float().mean()
print('test accuracy', acc.item())
