from keras.models import Sequential
from keras.layers import Convolution2D, MaxPooling2D

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(3, 64, 64)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Convolution2D(64,
                        5,
                        5))
