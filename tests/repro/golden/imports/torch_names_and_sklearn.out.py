"""A PyTorch snippet that imports nothing."""
import numpy as np
import torch.nn as nn
import torch.optim as optim
import torch
import torch.nn.functional as F
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset
X_train, X_test = train_test_split(np.arange(10), test_size=0.2)
model = nn.Sequential(nn.Linear(4, 2))
optimizer = optim.Adam(model.parameters())
loader = DataLoader(TensorDataset(torch.zeros(4, 4)), batch_size=2)
out = F.relu(model(torch.zeros(1, 4)))
