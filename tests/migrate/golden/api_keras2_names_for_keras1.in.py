# versions: keras=1.2.2
# Keras 2 names in a project pinned to Keras 1: the fix goes the other way.
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(10, input_dim=4, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='sgd')
model.fit(x, y, epochs=5, batch_size=16)
