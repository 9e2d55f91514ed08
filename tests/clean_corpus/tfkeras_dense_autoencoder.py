"""tf.keras: a deep fully connected autoencoder for MNIST (784 -> 32 -> 784), after Chollet's Keras blog."""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

SEED = 16
ENCODING_DIM = 32
BATCH_SIZE = 256
EPOCHS = 100

keras.utils.set_random_seed(SEED)

# The digit labels are not used: the images are both the inputs and the targets.
(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(len(x_train), 784).astype("float32") / 255.0
x_test = x_test.reshape(len(x_test), 784).astype("float32") / 255.0

input_img = keras.Input(shape=(784,))
encoded = layers.Dense(128, activation="relu")(input_img)
encoded = layers.Dense(64, activation="relu")(encoded)
encoded = layers.Dense(ENCODING_DIM, activation="relu")(encoded)

decoded = layers.Dense(64, activation="relu")(encoded)
decoded = layers.Dense(128, activation="relu")(decoded)
# Sigmoid outputs match the [0, 1] pixel targets; binary cross-entropy is the per-pixel loss.
decoded = layers.Dense(784, activation="sigmoid")(decoded)

autoencoder = keras.Model(input_img, decoded, name="deep_autoencoder")
encoder = keras.Model(input_img, encoded, name="encoder")

autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy")
autoencoder.fit(
    x_train,
    x_train,
    epochs=EPOCHS,
    batch_size=BATCH_SIZE,
    shuffle=True,
    validation_data=(x_test, x_test),
    callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)],
)

codes = encoder.predict(x_test, verbose=0)
reconstructions = autoencoder.predict(x_test, verbose=0)
print("Code shape:", codes.shape, "mean activation:", float(codes.mean()))
print("Test reconstruction MSE:", float(np.mean((reconstructions - x_test) ** 2)))
