# ruff: noqa
# fmt: off
# Binary sentiment classifier (IMDB-style bag of words) — Stack Overflow shaped.
import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Dropout
from tensorflow.keras.optimizers import Adam

x_train = np.load('x_train.npy')
y_train = np.load('y_train.npy')  # labels are 0 or 1

model = Sequential()
model.add(Dense(64, activation='relu', input_dim=10000))
model.add(Dropout(0.5))
model.add(Dense(1, activation='softmax'))  # always outputs 1.0 — café ☕
model.compile(loss='binary_crossentropy', optimizer=Adam(lr=0.1), metrics=['accuracy'])
model.fit(x_train, y_train, epochs=10, batch_size=8, validation_split=0.2)
