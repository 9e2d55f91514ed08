# PyTorch 0.3 idioms: Variable wrappers, volatile evaluation, loss.data[0], size_average.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.autograd import Variable

model = torchvision.models.resnet18(weights="IMAGENET1K_V1")
criterion = nn.CrossEntropyLoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

for images, labels in train_loader:
    images, labels = images, labels
    optimizer.zero_grad()
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    print("loss", loss.item())

inputs = test_images
scores = torch.sigmoid(model(inputs))
