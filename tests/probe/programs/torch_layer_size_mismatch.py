# A classifier whose second Linear expects 64 features while the first produces 128.
import torch
import torch.nn as nn

hidden = 128
model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(28 * 28, hidden),
    nn.ReLU(),
    nn.Linear(64, 10),  # probe-expect: PRB701
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
images = torch.rand(64, 1, 28, 28)
labels = torch.randint(0, 10, (64,))
for epoch in range(10):
    optimizer.zero_grad()
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
