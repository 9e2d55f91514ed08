import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self, n_features):
        super(Classifier, self).__init__()
        self.fc = nn.Linear(n_features, 1)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        x = torch.sigmoid(self.fc(x))
        x = self.softmax(x)
        return x


loss_fn = nn.BCEWithLogitsLoss()
