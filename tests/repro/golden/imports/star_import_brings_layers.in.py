from keras.layers import *

model = Sequential()
model.add(Dense(3))
