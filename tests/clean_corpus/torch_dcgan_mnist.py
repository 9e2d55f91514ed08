"""PyTorch: a DCGAN on MNIST with alternating discriminator/generator updates on logits."""

import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.utils import save_image

SEED = 999
LATENT_DIM = 100
BATCH_SIZE = 128
EPOCHS = 25
LEARNING_RATE = 2e-4


class Generator(nn.Module):
    def __init__(self, latent_dim):
        super().__init__()
        self.project = nn.Sequential(
            nn.Linear(latent_dim, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(True)
        )
        self.upsample = nn.Sequential(
            nn.ConvTranspose2d(128, 64, 4, stride=2, padding=1),  # 7x7 -> 14x14
            nn.BatchNorm2d(64),
            nn.ReLU(True),
            nn.ConvTranspose2d(64, 1, 4, stride=2, padding=1),  # 14x14 -> 28x28
            nn.Tanh(),  # images are normalised to [-1, 1]
        )

    def forward(self, z):
        return self.upsample(self.project(z).view(-1, 128, 7, 7))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 64, 4, stride=2, padding=1),  # 28x28 -> 14x14
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(64, 128, 4, stride=2, padding=1),  # 14x14 -> 7x7
            nn.BatchNorm2d(128),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Flatten(),
            nn.Linear(128 * 7 * 7, 1),  # a real/fake logit
        )

    def forward(self, x):
        return self.net(x)


random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
dataset = datasets.MNIST("data", train=True, download=True, transform=transform)
train_loader = DataLoader(dataset, batch_size=BATCH_SIZE, shuffle=True, drop_last=True)

generator = Generator(LATENT_DIM).to(device)
discriminator = Discriminator().to(device)
criterion = nn.BCEWithLogitsLoss()
optimizer_g = torch.optim.Adam(generator.parameters(), lr=LEARNING_RATE, betas=(0.5, 0.999))
optimizer_d = torch.optim.Adam(discriminator.parameters(), lr=LEARNING_RATE, betas=(0.5, 0.999))
fixed_noise = torch.randn(64, LATENT_DIM, device=device)

for epoch in range(EPOCHS):
    generator.train()
    running_d, running_g = 0.0, 0.0
    for real, _ in train_loader:
        real = real.to(device)
        real_labels = torch.ones(real.size(0), 1, device=device)
        fake_labels = torch.zeros(real.size(0), 1, device=device)
        fake = generator(torch.randn(real.size(0), LATENT_DIM, device=device))

        # Discriminator step: real images towards 1, generated images (detached) towards 0.
        optimizer_d.zero_grad()
        loss_d = criterion(discriminator(real), real_labels)
        loss_d = loss_d + criterion(discriminator(fake.detach()), fake_labels)
        loss_d.backward()
        optimizer_d.step()

        # Generator step: make the discriminator call the generated images real.
        optimizer_g.zero_grad()
        loss_g = criterion(discriminator(fake), real_labels)
        loss_g.backward()
        optimizer_g.step()

        running_d += loss_d.item()
        running_g += loss_g.item()
    print(
        f"epoch {epoch + 1}: D {running_d / len(train_loader):.3f}, G {running_g / len(train_loader):.3f}"
    )

    generator.eval()
    with torch.no_grad():
        samples = generator(fixed_noise)
    save_image(samples * 0.5 + 0.5, f"samples_epoch_{epoch + 1:03d}.png", nrow=8)

torch.save(generator.state_dict(), "generator.pt")
