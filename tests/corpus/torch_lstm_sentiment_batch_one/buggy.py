# case: PyTorch LSTM sentiment model takes forever and the loss is very noisy, DataLoader with batch_size=1; framework: torch; problem: binary; input: sequence
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

features = np.load('reviews_padded.npy')
labels = np.load('review_labels.npy')
split = int(0.8 * len(features))

train_data = TensorDataset(torch.from_numpy(features[:split]), torch.from_numpy(labels[:split]))
valid_data = TensorDataset(torch.from_numpy(features[split:]), torch.from_numpy(labels[split:]))
train_loader = DataLoader(train_data, shuffle=True, batch_size=1)  # expect: IBS
valid_loader = DataLoader(valid_data, shuffle=False, batch_size=64)


class SentimentRNN(nn.Module):
    def __init__(self, vocab_size, embedding_dim=400, hidden_dim=256, n_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, n_layers, dropout=0.5, batch_first=True)
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(hidden_dim, 1)

    def forward(self, x):
        embeds = self.embedding(x)
        lstm_out, _ = self.lstm(embeds)
        out = self.dropout(lstm_out[:, -1, :])
        return self.fc(out)


net = SentimentRNN(vocab_size=74073)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.001)

for epoch in range(4):
    net.train()
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        output = net(inputs.long())
        loss = criterion(output.squeeze(1), targets.float())
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 5)
        optimizer.step()
    net.eval()
    with torch.no_grad():
        val_losses = [criterion(net(x.long()).squeeze(1), y.float()).item() for x, y in valid_loader]
    print('epoch', epoch, 'val loss', np.mean(val_losses))
