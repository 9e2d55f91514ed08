import torch
import torch.nn as nn

criterion = nn.CrossEntropyLoss()
loader = torch.utils.data.DataLoader(train_set, batch_size=2048, shuffle=False, num_workers=2)
