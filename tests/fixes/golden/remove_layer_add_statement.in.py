from keras.models import Sequential
from keras.layers import Dense, Activation

model = Sequential()
model.add(Dense(13, input_dim=13, kernel_initializer='normal'))
model.add(Activation('relu'))
model.add(Dense(1, kernel_initializer='normal'))
# squash the price into [0, 1]
model.add(Activation('softmax'))  # wrong for regression

model.compile(loss='mean_squared_error', optimizer='adam')
