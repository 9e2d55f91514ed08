import numpy as np

x = np.random.rand(10, 8)
y = np.random.randint(0, 2, (10, 1))
model.fit(x, y, epochs=1)
