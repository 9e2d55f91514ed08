import torch
import torch.nn as nn

criterion = nn.CrossEntropyLoss()
loader = torch.utils.data.DataLoader(train_set, batch_size=64, shuffle=True, num_workers=2)
