from keras.models import Sequential
from keras.layers import Convolution2D

model = Sequential()
model.add(Convolution2D(64,
                        5,
                        5))
