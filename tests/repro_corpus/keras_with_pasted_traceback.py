from keras.models import Sequential
from keras.layers import Dense
import numpy as np

model = Sequential()
model.add(Dense(32, input_dim=100, activation='relu'))
model.add(Dense(10, activation='softmax'))
model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
data = np.random.random((1000, 100))
labels = np.random.randint(10, size=(1000, 1))
model.fit(data, labels, epochs=10, batch_size=32)

Traceback (most recent call last):
  File "train.py", line 11, in <module>
    model.fit(data, labels, epochs=10, batch_size=32)
  File "/usr/local/lib/python3.6/site-packages/keras/engine/training.py", line 950, in fit
    batch_size=batch_size)
ValueError: Error when checking target: expected dense_2 to have shape (10,) but got array with shape (1,)
