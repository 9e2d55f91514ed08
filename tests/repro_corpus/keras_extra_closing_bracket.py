import numpy as np
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(64, input_dim=10, activation='relu')))
model.add(Dense(1, activation='linear'))
model.compile(loss='mse', optimizer='adam')
X = np.random.rand(500, 10)
y = X.sum(axis=1)
model.fit(X, y, epochs=5, verbose=0)
print(model.predict(X[:3]))
