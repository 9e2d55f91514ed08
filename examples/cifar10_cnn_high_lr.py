"""A small CNN for CIFAR-10 that does not learn: the loss jumps to NaN after a few batches.

Bugs: the learning rate (0.5) is far above the usual range (LOB), the batch size of 8 makes the
gradient noisy and training slow (IBS), and the images reach the model as 0-255 integers (IDN).
"""

from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = keras.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
model.add(layers.Conv2D(32, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.Conv2D(64, (3, 3), activation="relu"))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Flatten())
model.add(layers.Dense(256, activation="relu"))
model.add(layers.Dropout(0.5))
model.add(layers.Dense(10, activation="softmax"))

optimizer = keras.optimizers.SGD(learning_rate=0.5, momentum=0.9)
model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=8, epochs=20, validation_data=(x_test, y_test))
model.save("cifar10_cnn.keras")
