from keras.models import Sequential

model = Sequential()
model.add(Dense(64, activation="relu", input_shape=(20,)))
model.add(Dropout(0.5))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer=Adam(learning_rate=1e-3), loss="binary_crossentropy")
y = to_categorical(np.zeros(4))
