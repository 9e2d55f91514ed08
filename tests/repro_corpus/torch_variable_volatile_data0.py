# Old PyTorch code: "invalid index of a 0-dim tensor"
import torch
import torch.nn as nn
from torch.autograd import Variable

model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
inputs = Variable(torch.randn(16, 10))
targets = Variable(torch.LongTensor(16).random_(0, 2))
for step in range(5):
    optimizer.zero_grad()
    out = model(inputs)
    loss = criterion(out, targets)
    loss.backward()
    optimizer.step()
    print(loss.data[0])
test = Variable(torch.randn(4, 10), volatile=True)
print(model(test))
