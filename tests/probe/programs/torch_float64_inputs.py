# NumPy arrays are float64; the model's weights are float32.
import numpy as np
import torch
import torch.nn as nn

features = np.random.rand(128, 20)
targets = np.random.rand(128, 1)
model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
x = torch.from_numpy(features)
y = torch.from_numpy(targets).float()
for step in range(100):
    prediction = model(x)  # probe-expect: PRB702
    loss = loss_fn(prediction, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
