"""PyTorch: a Kim-style text CNN (parallel Conv1d filters, max-over-time pooling) for sentiment."""

import random

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 25
BATCH_SIZE = 50
EPOCHS = 10
EMBED_DIM = 128
NUM_FILTERS = 100
KERNEL_SIZES = (3, 4, 5)
VOCAB_SIZE = 25000  # ids from the tokenizer's vocabulary; 0 is padding


class TextCNN(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_filters, kernel_sizes, num_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(embed_dim, num_filters, k) for k in kernel_sizes])
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(num_filters * len(kernel_sizes), num_classes)

    def forward(self, tokens):
        x = self.embedding(tokens).transpose(1, 2)  # (batch, embed_dim, seq_len)
        pooled = [F.relu(conv(x)).amax(dim=2) for conv in self.convs]
        return self.fc(self.dropout(torch.cat(pooled, dim=1)))


def load_split(name):
    arrays = np.load(f"reviews_{name}.npz")  # tokens (N, T) int64 padded with 0, labels (N,)
    return TensorDataset(torch.from_numpy(arrays["tokens"]), torch.from_numpy(arrays["labels"]))


random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

train_set, dev_set = load_split("train"), load_split("dev")
train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True)
dev_loader = DataLoader(dev_set, batch_size=256)

model = TextCNN(VOCAB_SIZE, EMBED_DIM, NUM_FILTERS, KERNEL_SIZES).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(EPOCHS):
    model.train()
    running_loss = 0.0
    for tokens, labels in train_loader:
        tokens, labels = tokens.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(tokens), labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()

    model.eval()
    correct = 0
    with torch.no_grad():
        for tokens, labels in dev_loader:
            tokens, labels = tokens.to(device), labels.to(device)
            correct += (model(tokens).argmax(dim=1) == labels).sum().item()
    print(
        f"epoch {epoch + 1}: loss {running_loss / len(train_loader):.4f}, "
        f"dev accuracy {correct / len(dev_set):.4f}"
    )
