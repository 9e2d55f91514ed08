"""PyTorch: an embedding + bidirectional LSTM news classifier over padded token ids (4 classes)."""

import random

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence
from torch.utils.data import DataLoader, TensorDataset

SEED = 12
BATCH_SIZE = 64
EPOCHS = 8
EMBED_DIM = 128
HIDDEN_DIM = 128
NUM_CLASSES = 4
VOCAB_SIZE = 30000  # token ids were built with a 30,000-word vocabulary; 0 is padding


class LSTMClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(0.3)
        self.classifier = nn.Linear(2 * hidden_dim, num_classes)

    def forward(self, tokens, lengths):
        embedded = self.embedding(tokens)
        packed = pack_padded_sequence(
            embedded, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        _, (hidden, _) = self.lstm(packed)
        # Concatenate the last forward and backward hidden states.
        features = torch.cat([hidden[-2], hidden[-1]], dim=1)
        return self.classifier(self.dropout(features))


def make_dataset(split):
    arrays = np.load(f"ag_news_{split}.npz")  # tokens (N, T) padded with 0, lengths, labels
    return TensorDataset(
        torch.from_numpy(arrays["tokens"]).long(),
        torch.from_numpy(arrays["lengths"]).long(),
        torch.from_numpy(arrays["labels"]).long(),
    )


random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

train_loader = DataLoader(make_dataset("train"), batch_size=BATCH_SIZE, shuffle=True)
test_loader = DataLoader(make_dataset("test"), batch_size=256, shuffle=False)

model = LSTMClassifier(VOCAB_SIZE, EMBED_DIM, HIDDEN_DIM, NUM_CLASSES).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(EPOCHS):
    model.train()
    running_loss = 0.0
    for tokens, lengths, labels in train_loader:
        tokens, labels = tokens.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(tokens, lengths), labels)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        running_loss += loss.item()

    model.eval()
    correct = 0
    with torch.no_grad():
        for tokens, lengths, labels in test_loader:
            tokens, labels = tokens.to(device), labels.to(device)
            correct += (model(tokens, lengths).argmax(dim=1) == labels).sum().item()
    print(
        f"epoch {epoch + 1}: loss {running_loss / len(train_loader):.4f}, "
        f"test accuracy {correct / len(test_loader.dataset):.4f}"
    )
