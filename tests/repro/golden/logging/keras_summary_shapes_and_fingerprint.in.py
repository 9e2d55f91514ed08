import numpy as np
from keras.models import Sequential
from keras.layers import Dense

X = np.random.rand(32, 4)
y = np.random.rand(32, 1)
model = Sequential([Dense(1, input_shape=(4,))])
model.compile(loss="mse", optimizer="sgd")
model.fit(X, y, epochs=2)
