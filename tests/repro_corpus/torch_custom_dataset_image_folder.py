# Custom Dataset: "FileNotFoundError" when iterating the DataLoader
import os
import torch
from torch.utils.data import Dataset, DataLoader
from PIL import Image

class MyDataset(Dataset):
    def __init__(self, root, transform=None):
        self.root = root
        self.files = os.listdir(root)
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        image = Image.open(os.path.join(self.root, self.files[idx]))
        if self.transform:
            image = self.transform(image)
        return image, 0

dataset = MyDataset('images/train', transform=transform)
loader = DataLoader(dataset, batch_size=4, shuffle=True)
for images, labels in loader:
    print(images.shape)
