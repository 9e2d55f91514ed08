"""PyTorch: a fully connected autoencoder that compresses Fashion-MNIST images to 32 numbers."""

import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

SEED = 6
BATCH_SIZE = 256
EPOCHS = 30
LATENT_DIM = 32


class AutoEncoder(nn.Module):
    def __init__(self, latent_dim):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, 256),
            nn.ReLU(),
            nn.Linear(256, 128),
            nn.ReLU(),
            nn.Linear(128, latent_dim),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, 128),
            nn.ReLU(),
            nn.Linear(128, 256),
            nn.ReLU(),
            nn.Linear(256, 28 * 28),
            nn.Sigmoid(),  # pixel intensities in [0, 1], like the ToTensor() inputs
        )

    def forward(self, x):
        return self.decoder(self.encoder(x)).view(-1, 1, 28, 28)


random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

# ToTensor() already maps the pixels to [0, 1], the range the sigmoid output reconstructs.
transform = transforms.ToTensor()
train_set = datasets.FashionMNIST("data", train=True, download=True, transform=transform)
test_set = datasets.FashionMNIST("data", train=False, download=True, transform=transform)
train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True)
test_loader = DataLoader(test_set, batch_size=1024, shuffle=False)

model = AutoEncoder(LATENT_DIM).to(device)
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(EPOCHS):
    model.train()
    running_loss = 0.0
    for images, _ in train_loader:
        images = images.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), images)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()

    model.eval()
    test_loss = 0.0
    with torch.no_grad():
        for images, _ in test_loader:
            images = images.to(device)
            test_loss += criterion(model(images), images).item() * images.size(0)
    print(
        f"epoch {epoch + 1}: train {running_loss / len(train_loader):.4f}, "
        f"test {test_loss / len(test_set):.4f}"
    )

torch.save(model.encoder.state_dict(), "fashion_encoder.pt")
