from keras.models import Sequential
from keras.layers import Dense, Flatten

model = Sequential()
model.add(Flatten(input_shape=(28, 28)))
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
# dl-lsp repro: A1 synthetic data
X_test = np.random.rand(64, 28, 28).astype("float32")
X_train = np.random.rand(256, 28, 28).astype("float32")
y_test = np.eye(10, dtype="float32")[np.random.randint(0, 10, 64)]
y_train = np.eye(10, dtype="float32")[np.random.randint(0, 10, 256)]
model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=1)
