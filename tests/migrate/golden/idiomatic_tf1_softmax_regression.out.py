"""Softmax regression trained on the whole data set each step (TensorFlow 1 tutorial style)."""

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(1)
features = rng.rand(300, 8).astype(np.float32)
classes = (features[:, 0] + features[:, 1] > 1.0).astype(np.int64)
targets = np.eye(2, dtype=np.float32)[classes]

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(8,)),
        tf.keras.layers.Dense(2, activation="softmax"),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.5),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)

model.fit(features, targets, batch_size=len(features), epochs=100, verbose=2)
print("accuracy", model.evaluate(features, targets, verbose=0)[1])
probabilities = model.predict(features[:3], verbose=0)
print("first rows", probabilities.shape)
