"""The TensorFlow 1 beginners' tutorial shape: an InteractiveSession, next_batch, and the
accuracy defined after training (a small in-memory data set stands in for MNIST)."""

import numpy as np
import tensorflow as tf


class Split:
    def __init__(self, images, labels):
        self.images, self.labels, self.position = images, labels, 0

    def next_batch(self, size):
        start = self.position % len(self.images)
        self.position += size
        return self.images[start : start + size], self.labels[start : start + size]


class Digits:
    def __init__(self):
        rng = np.random.RandomState(3)
        images = rng.rand(400, 64).astype(np.float32)
        labels = np.eye(3, dtype=np.float32)[(images[:, :3].argmax(axis=1))]
        self.train = Split(images[:300], labels[:300])
        self.test = Split(images[300:], labels[300:])


mnist = Digits()

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(64,)),
        tf.keras.layers.Dense(3),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.5),
    loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)

model.fit(mnist.train.images, mnist.train.labels, batch_size=50, epochs=max(1, (200) * (50) // len(mnist.train.images)), verbose=2)

print(model.evaluate(mnist.test.images, mnist.test.labels, verbose=0)[1])
