from keras.layers import (
    Conv2D,
    Dense,
    Flatten,  # keep
)
from keras.models import Sequential

model = Sequential()
model.add(Conv2D(16, (3, 3), input_shape=(64, 64, 3)))
model.add(Flatten())
model.add(Dense(1, activation='sigmoid'))
