"""tf.keras: a convolutional denoising autoencoder for MNIST with a transposed-convolution decoder."""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

SEED = 5
BATCH_SIZE = 128
EPOCHS = 30
NOISE_FACTOR = 0.3

keras.utils.set_random_seed(SEED)
rng = np.random.default_rng(SEED)

(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
x_train = np.expand_dims(x_train.astype("float32") / 255.0, -1)
x_test = np.expand_dims(x_test.astype("float32") / 255.0, -1)

# Corrupt the inputs with Gaussian noise; the targets stay clean.
x_train_noisy = np.clip(x_train + NOISE_FACTOR * rng.normal(size=x_train.shape), 0.0, 1.0).astype(
    "float32"
)
x_test_noisy = np.clip(x_test + NOISE_FACTOR * rng.normal(size=x_test.shape), 0.0, 1.0).astype(
    "float32"
)

inputs = keras.Input(shape=(28, 28, 1))

# Encoder: 28x28 -> 14x14 -> 7x7.
x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
x = layers.MaxPooling2D(2, padding="same")(x)
x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
encoded = layers.MaxPooling2D(2, padding="same")(x)

# Decoder: 7x7 -> 14x14 -> 28x28, then one sigmoid channel for pixel intensities in [0, 1].
x = layers.Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same")(encoded)
x = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(x)
decoded = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)

autoencoder = keras.Model(inputs, decoded, name="denoising_autoencoder")
autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy")
autoencoder.summary()

autoencoder.fit(
    x_train_noisy,
    x_train,
    epochs=EPOCHS,
    batch_size=BATCH_SIZE,
    shuffle=True,
    validation_data=(x_test_noisy, x_test),
    callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)],
)

denoised = autoencoder.predict(x_test_noisy[:10], verbose=0)
mse = float(np.mean((denoised - x_test[:10]) ** 2))
print(f"Reconstruction MSE on ten test digits: {mse:.5f}")
autoencoder.save("denoising_autoencoder.keras")
