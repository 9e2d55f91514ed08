# PyTorch 0.3 idioms: Variable wrappers, volatile evaluation, loss.data[0], size_average.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.autograd import Variable

model = torchvision.models.resnet18(pretrained=True)
criterion = nn.CrossEntropyLoss(size_average=False)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

for images, labels in train_loader:
    images, labels = Variable(images), Variable(labels)
    optimizer.zero_grad()
    outputs = model(images)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    print("loss", loss.data[0])

inputs = Variable(test_images, volatile=True)
scores = F.sigmoid(model(inputs))
