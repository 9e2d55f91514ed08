from keras.models import Sequential
model = Sequential()
model.add(Dense(64, activation='relu'))
model.compile(loss='mse', optimizer='adam')
model.fit(x, y)
