"""A small CNN built with tf.layers, integer labels, dropout with a keep-probability placeholder."""

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(2)
images = rng.rand(256, 12, 12, 1).astype(np.float32)
digits = (images.mean(axis=(1, 2, 3)) > 0.5).astype(np.int32)

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(12, 12, 1)),
        tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
        tf.keras.layers.MaxPooling2D(2, 2),
        tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
        tf.keras.layers.MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding="same"),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(32, activation="relu"),
        tf.keras.layers.Dropout(0.25),
        tf.keras.layers.Dense(2),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)

batch_size = 32
model.fit(images, digits, batch_size=batch_size, epochs=3, verbose=2)
