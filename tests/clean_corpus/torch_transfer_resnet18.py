"""PyTorch: fine-tune a new classification head on a frozen ImageNet ResNet-18 (torchvision)."""

import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

SEED = 77
BATCH_SIZE = 32
EPOCHS = 15
DATA_DIR = "data/flowers"
CHECKPOINT = "resnet18_flowers.pt"

random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

weights = models.ResNet18_Weights.IMAGENET1K_V1
normalize = transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
train_transform = transforms.Compose(
    [
        transforms.RandomResizedCrop(224),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        normalize,
    ]
)
val_transform = transforms.Compose(
    [transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(), normalize]
)
train_set = datasets.ImageFolder(f"{DATA_DIR}/train", transform=train_transform)
val_set = datasets.ImageFolder(f"{DATA_DIR}/val", transform=val_transform)
train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True, num_workers=4)
val_loader = DataLoader(val_set, batch_size=BATCH_SIZE, shuffle=False, num_workers=4)

model = models.resnet18(weights=weights)
for parameter in model.parameters():
    parameter.requires_grad = False
# The new head is the only trainable part: raw logits for CrossEntropyLoss.
model.fc = nn.Linear(model.fc.in_features, len(train_set.classes))
model = model.to(device)

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.fc.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.1)

best_accuracy = 0.0
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
    scheduler.step()

    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in val_loader:
            images, labels = images.to(device), labels.to(device)
            correct += (model(images).argmax(dim=1) == labels).sum().item()
    accuracy = correct / len(val_set)
    print(f"epoch {epoch + 1}: loss {running_loss / len(train_loader):.4f}, val acc {accuracy:.4f}")
    if accuracy > best_accuracy:
        best_accuracy = accuracy
        torch.save(model.state_dict(), CHECKPOINT)

# Reload the best weights onto whatever device this machine has.
model.load_state_dict(torch.load(CHECKPOINT, map_location=device, weights_only=True))
model.eval()
print(f"best validation accuracy {best_accuracy:.4f}")
