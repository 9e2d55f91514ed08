from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(64, input_dim=20, activation='relu'))
model.add(Dense(10, activation='softmax'))

# one-hot labels, ten classes
model.compile(loss='binary_crossentropy',  # wrong for softmax
              optimizer='rmsprop',
              metrics=['accuracy'])
