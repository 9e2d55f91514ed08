"""A PyTorch snippet that imports nothing."""
X_train, X_test = train_test_split(np.arange(10), test_size=0.2)
model = nn.Sequential(nn.Linear(4, 2))
optimizer = optim.Adam(model.parameters())
loader = DataLoader(TensorDataset(torch.zeros(4, 4)), batch_size=2)
out = F.relu(model(torch.zeros(1, 4)))
