"""PyTorch: a torch.utils.data.Dataset subclass reading labelled colour images listed in a CSV file."""

import random
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from PIL import Image
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

SEED = 31
BATCH_SIZE = 32
EPOCHS = 20
IMAGE_DIR = Path("data/leaves")
IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


class LeafDataset(Dataset):
    """Rows of (filename, label index); images are opened lazily in __getitem__."""

    def __init__(self, frame, image_dir, transform):
        self.filenames = frame["filename"].tolist()
        self.labels = frame["label"].tolist()
        self.image_dir = image_dir
        self.transform = transform

    def __len__(self):
        return len(self.filenames)

    def __getitem__(self, index):
        image = Image.open(self.image_dir / self.filenames[index]).convert("RGB")
        return self.transform(image), self.labels[index]


random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

frame = pd.read_csv(IMAGE_DIR / "labels.csv")
num_classes = frame["label"].nunique()
train_frame, val_frame = train_test_split(
    frame, test_size=0.2, stratify=frame["label"], random_state=SEED
)

train_transform = transforms.Compose(
    [
        transforms.RandomResizedCrop(64, scale=(0.7, 1.0)),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ]
)
val_transform = transforms.Compose(
    [
        transforms.Resize(72),
        transforms.CenterCrop(64),
        transforms.ToTensor(),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ]
)
train_loader = DataLoader(
    LeafDataset(train_frame, IMAGE_DIR, train_transform), batch_size=BATCH_SIZE, shuffle=True
)
val_loader = DataLoader(
    LeafDataset(val_frame, IMAGE_DIR, val_transform), batch_size=BATCH_SIZE, shuffle=False
)

model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1),
    nn.BatchNorm2d(32),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1),
    nn.BatchNorm2d(64),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1),
    nn.BatchNorm2d(128),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Dropout(0.3),
    nn.Linear(128, num_classes),
).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(EPOCHS):
    model.train()
    running_loss = 0.0
    for images, labels in train_loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()

    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in val_loader:
            images, labels = images.to(device), labels.to(device)
            correct += (model(images).argmax(1) == labels).sum().item()
    accuracy = correct / len(val_loader.dataset)
    print(f"epoch {epoch + 1}: loss {running_loss / len(train_loader):.3f}, val acc {accuracy:.3f}")
