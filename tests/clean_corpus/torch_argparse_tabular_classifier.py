"""PyTorch: a Lightning-free training script with argparse for a multiclass tabular classifier."""

import argparse
import random

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder, StandardScaler
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def parse_args():
    parser = argparse.ArgumentParser(description="Train an MLP on a CSV file.")
    parser.add_argument("csv", help="CSV file with numeric features and a label column")
    parser.add_argument("--label", default="label", help="name of the label column")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", default="mlp.pt")
    return parser.parse_args()


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def make_loader(features, labels, batch_size, shuffle):
    dataset = TensorDataset(
        torch.tensor(features, dtype=torch.float32), torch.tensor(labels, dtype=torch.long)
    )
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle)


def evaluate(model, loader, device):
    model.eval()
    correct = 0
    with torch.no_grad():
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            correct += (model(inputs).argmax(dim=1) == targets).sum().item()
    return correct / len(loader.dataset)


def main():
    args = parse_args()
    set_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    frame = pd.read_csv(args.csv)
    labels = LabelEncoder().fit_transform(frame.pop(args.label))
    x_train, x_val, y_train, y_val = train_test_split(
        frame.to_numpy(dtype=np.float32),
        labels,
        test_size=0.2,
        stratify=labels,
        random_state=args.seed,
    )
    scaler = StandardScaler().fit(x_train)
    train_loader = make_loader(scaler.transform(x_train), y_train, args.batch_size, shuffle=True)
    val_loader = make_loader(scaler.transform(x_val), y_val, args.batch_size, shuffle=False)

    num_classes = int(labels.max()) + 1
    model = nn.Sequential(
        nn.Linear(x_train.shape[1], args.hidden),
        nn.ReLU(),
        nn.Dropout(0.2),
        nn.Linear(args.hidden, args.hidden // 2),
        nn.ReLU(),
        nn.Linear(args.hidden // 2, num_classes),
    ).to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)

    best_accuracy = 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        running_loss = 0.0
        for inputs, targets in train_loader:
            inputs, targets = inputs.to(device), targets.to(device)
            optimizer.zero_grad()
            loss = criterion(model(inputs), targets)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
        accuracy = evaluate(model, val_loader, device)
        print(f"epoch {epoch}: loss {running_loss / len(train_loader):.4f}, val acc {accuracy:.4f}")
        if accuracy > best_accuracy:
            best_accuracy = accuracy
            torch.save(
                {
                    "model": model.state_dict(),
                    "scaler_mean": torch.from_numpy(scaler.mean_),
                    "scaler_scale": torch.from_numpy(scaler.scale_),
                },
                args.output,
            )
    print(f"best validation accuracy: {best_accuracy:.4f}")


if __name__ == "__main__":
    main()
