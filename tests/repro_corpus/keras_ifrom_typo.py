ifrom keras.models import Sequential
from keras.layers import Dense
import numpy as np

X = np.random.rand(100, 3)
y = np.random.rand(100)
model = Sequential()
model.add(Dense(8, input_dim=3, activation='relu'))
model.add(Dense(1))
model.compile(loss='mse', optimizer='sgd')
model.fit(X, y, epochs=2, verbose=0)
