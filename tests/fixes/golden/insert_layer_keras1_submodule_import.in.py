from keras.models import Sequential
from keras.layers.core import Dense, Activation
from keras.layers.convolutional import Convolution2D
from keras.optimizers import SGD

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(3, 32, 32)))
model.add(Activation('relu'))
model.add(Dense(512))
model.add(Activation('relu'))
