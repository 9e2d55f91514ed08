import torch
import torch.nn as nn

# dl-lsp repro: A5 environment fingerprint and seeds
import platform
import random
import numpy as np
print("python", platform.python_version(), "numpy", np.__version__, "torch", torch.__version__, "CUDA", torch.version.cuda, "GPUs", torch.cuda.device_count())
random.seed(0)
np.random.seed(0)
torch.manual_seed(0)
model = nn.Linear(3, 1)
# dl-lsp repro: A5 the model and its size
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(8, 3), torch.randn(8, 1)
for epoch in range(3):
    loss = ((model(x) - y) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    # dl-lsp repro: A5 loss per epoch
    print(f"epoch {epoch}: loss {loss.item():.4f}")
