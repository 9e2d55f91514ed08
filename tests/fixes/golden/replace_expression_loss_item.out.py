running_loss = 0.0
for i, (inputs, labels) in enumerate(train_loader):
    optimizer.zero_grad()
    loss = criterion(net(inputs), labels)
    loss.backward()
    optimizer.step()
    running_loss += loss.item() * inputs.size(0)
