"""PyTorch: a multi-label question tagger (TF-IDF features, one sigmoid logit per tag)."""

import random

import numpy as np
import pandas as pd
import torch
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MultiLabelBinarizer
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 13
BATCH_SIZE = 128
EPOCHS = 15
MAX_FEATURES = 5000

random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

questions = pd.read_csv("questions.csv")  # columns: text, tags ("python|numpy|pandas")
tag_lists = questions["tags"].str.split("|")
binarizer = MultiLabelBinarizer()
targets = binarizer.fit_transform(tag_lists).astype(np.float32)

train_text, test_text, y_train, y_test = train_test_split(
    questions["text"], targets, test_size=0.2, random_state=SEED
)
# The vocabulary and IDF weights are learnt from the training questions only.
vectorizer = TfidfVectorizer(max_features=MAX_FEATURES, sublinear_tf=True)
x_train = vectorizer.fit_transform(train_text).toarray().astype(np.float32)
x_test = vectorizer.transform(test_text).toarray().astype(np.float32)

train_loader = DataLoader(
    TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train)),
    batch_size=BATCH_SIZE,
    shuffle=True,
)

num_tags = len(binarizer.classes_)
model = nn.Sequential(
    nn.Linear(x_train.shape[1], 256),
    nn.ReLU(),
    nn.Dropout(0.3),
    nn.Linear(256, num_tags),
).to(device)
criterion = nn.BCEWithLogitsLoss()  # independent sigmoid per tag
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(EPOCHS):
    model.train()
    running_loss = 0.0
    for features, labels in train_loader:
        features, labels = features.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(features), labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"epoch {epoch + 1}: loss {running_loss / len(train_loader):.4f}")

model.eval()
with torch.no_grad():
    logits = model(torch.from_numpy(x_test).to(device))
    predicted = (torch.sigmoid(logits) >= 0.5).cpu().numpy().astype(int)
print(f"micro F1 {f1_score(y_test, predicted, average='micro', zero_division=0):.3f}")
for row in binarizer.inverse_transform(predicted[:3]):
    print("predicted tags:", ", ".join(row) or "(none)")
