for epoch in range(10):
    output = net(Variable(images))
    loss = criterion(output, Variable(labels))
    print 'loss', loss.data[0]
    total += loss.data[0]
