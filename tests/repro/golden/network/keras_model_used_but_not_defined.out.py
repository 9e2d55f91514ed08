import numpy as np

x = np.random.rand(10, 8)
y = np.random.randint(0, 2, (10, 1))
# dl-lsp repro: A2 stand-in model
model = Sequential([Input(shape=(20,)), Dense(64, activation="relu"), Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss='sparse_categorical_crossentropy', metrics=["accuracy"])
model.fit(x, y, epochs=1)
