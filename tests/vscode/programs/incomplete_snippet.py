# A snippet as posted in a question: the imports were left out.
x_train = np.random.rand(1000, 20)
y_train = np.random.randint(2, size=(1000, 1))

model = Sequential()
model.add(Dense(64, activation="relu", input_dim=20))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=10, batch_size=32)
