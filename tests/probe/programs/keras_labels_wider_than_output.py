# Ten one-hot classes into a model with a single sigmoid unit.
import numpy as np
from tensorflow import keras

x_train = np.random.rand(256, 32).astype("float32")
y_train = keras.utils.to_categorical(np.random.randint(0, 10, size=(256,)), 10)
model = keras.Sequential(
    [
        keras.Input(shape=(32,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=5, batch_size=32)  # probe-expect: PRB701
