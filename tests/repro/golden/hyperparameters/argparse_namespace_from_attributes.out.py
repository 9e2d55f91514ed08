import torch

model = torch.nn.Linear(4, 2)
# dl-lsp repro: A3 hyperparameters
import argparse
args = argparse.Namespace(epochs=10, lr=1e-3, momentum=0.9)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
for epoch in range(args.epochs):
    pass
