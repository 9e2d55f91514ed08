import torch
import torch.nn as nn

model = nn.Linear(10, 3)
# dl-lsp repro: A7 stand-ins
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model.to(device)
x = torch.randn(4, 10)
# dl-lsp repro: A7 stand-ins
criterion = nn.CrossEntropyLoss()
loss = criterion(model(x), torch.tensor([0, 1, 2, 0]))
# dl-lsp repro: A7 stand-ins
optimizer = optim.Adam(model.parameters(), lr=1e-3)
optimizer.zero_grad()
