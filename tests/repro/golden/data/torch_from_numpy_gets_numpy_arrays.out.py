import torch

model = torch.nn.Linear(5, 1)
criterion = torch.nn.MSELoss()
# dl-lsp repro: A1 synthetic data
X = np.random.rand(256, 20).astype("float32")
inputs = torch.from_numpy(X)
# dl-lsp repro: A1 synthetic data
y = np.random.rand(256, 1).astype("float32")
targets = torch.from_numpy(y)
loss = criterion(model(inputs), targets)
