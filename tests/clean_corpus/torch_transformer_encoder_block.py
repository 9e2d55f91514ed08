"""PyTorch: a hand-written pre-norm transformer encoder block for sequence classification."""

import math
import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 2
BATCH_SIZE = 64
EPOCHS = 10
D_MODEL = 128
NUM_HEADS = 4
NUM_CLASSES = 5
PAD_ID = 0


class EncoderBlock(nn.Module):
    def __init__(self, d_model, num_heads, dropout=0.1):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.attention = nn.MultiheadAttention(
            d_model, num_heads, dropout=dropout, batch_first=True
        )
        self.norm2 = nn.LayerNorm(d_model)
        self.feed_forward = nn.Sequential(
            nn.Linear(d_model, 4 * d_model),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(4 * d_model, d_model),
        )
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, padding_mask):
        normed = self.norm1(x)
        attended, _ = self.attention(normed, normed, normed, key_padding_mask=padding_mask)
        x = x + self.dropout(attended)
        return x + self.dropout(self.feed_forward(self.norm2(x)))


class SequenceClassifier(nn.Module):
    def __init__(self, vocab_size, max_len, d_model, num_heads, num_classes):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD_ID)
        self.position_embedding = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList([EncoderBlock(d_model, num_heads) for _ in range(2)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, num_classes)
        self.scale = math.sqrt(d_model)

    def forward(self, tokens):
        padding_mask = tokens == PAD_ID
        positions = torch.arange(tokens.size(1), device=tokens.device)
        x = self.token_embedding(tokens) * self.scale + self.position_embedding(positions)
        for block in self.blocks:
            x = block(x, padding_mask)
        # Mean-pool over the real (non-padding) tokens.
        keep = (~padding_mask).unsqueeze(-1).float()
        pooled = (self.norm(x) * keep).sum(dim=1) / keep.sum(dim=1).clamp(min=1.0)
        return self.head(pooled)


random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

data = torch.load("tokenized_reviews.pt", map_location="cpu", weights_only=True)
train_set = TensorDataset(data["train_tokens"], data["train_labels"])
val_set = TensorDataset(data["val_tokens"], data["val_labels"])
train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256, shuffle=False)

vocab_size, max_len = int(data["vocab_size"]), data["train_tokens"].size(1)
model = SequenceClassifier(vocab_size, max_len, D_MODEL, NUM_HEADS, NUM_CLASSES).to(device)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=1e-3, total_steps=EPOCHS * len(train_loader)
)

for epoch in range(EPOCHS):
    model.train()
    running_loss = 0.0
    for tokens, labels in train_loader:
        tokens, labels = tokens.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(tokens), labels)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        running_loss += loss.item()

    model.eval()
    correct = 0
    with torch.no_grad():
        for tokens, labels in val_loader:
            tokens, labels = tokens.to(device), labels.to(device)
            correct += (model(tokens).argmax(dim=-1) == labels).sum().item()
    print(
        f"epoch {epoch + 1}: loss {running_loss / len(train_loader):.4f}, "
        f"val accuracy {correct / len(val_set):.4f}"
    )
