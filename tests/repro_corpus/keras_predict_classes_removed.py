# AttributeError: 'Sequential' object has no attribute 'predict_classes'
import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

x = np.random.rand(200, 8)
y = (x[:, 0] > 0.5).astype(int)
model = Sequential()
model.add(Dense(8, input_dim=8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam')
model.fit(x, y, epochs=3, verbose=0)
classes = model.predict_classes(x[:5])
print(classes)
