from keras.layers import *
from keras.models import Sequential

model = Sequential()
model.add(Dense(3))
