from keras.models import Sequential
from keras.layers.core import Dense, Activation

model = Sequential()
model.add(Dense(output_dim=500, input_dim=784, init='uniform'))
model.add(Activation('relu'))
model.add(Dense(output_dim=10, init='uniform'))
model.add(Activation('softmax'))
