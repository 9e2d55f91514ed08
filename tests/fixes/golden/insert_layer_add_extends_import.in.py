from keras.models import Sequential
from keras.layers import Dense, Dropout

model = Sequential()
model.add(Dense(256, activation='relu', input_dim=100))
model.add(Dropout(0.5))
model.add(Dense(10, activation='softmax'))
