"""A two-hidden-layer perceptron in the style of the classic TensorFlow 1 examples."""

import numpy as np
import tensorflow as tf

# Synthetic data: 4 classes of points around 4 centres.
rng = np.random.RandomState(0)
centres = rng.normal(0, 3, size=(4, 20))
labels = rng.randint(0, 4, size=600)
X_train = (centres[labels] + rng.normal(0, 1, size=(600, 20))).astype(np.float32)
Y_train = np.eye(4, dtype=np.float32)[labels]
X_test, Y_test = X_train[500:], Y_train[500:]
X_train, Y_train = X_train[:500], Y_train[:500]

learning_rate = 0.01
training_epochs = 5
batch_size = 50
n_hidden_1 = 32
n_hidden_2 = 32
n_input = 20
n_classes = 4

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(n_input,)),
        tf.keras.layers.Dense(n_hidden_1, activation="relu"),
        tf.keras.layers.Dense(n_hidden_2, activation="relu"),
        tf.keras.layers.Dense(n_classes),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=learning_rate),
    loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)

model.fit(X_train, Y_train, batch_size=batch_size, epochs=training_epochs, verbose=2)
print("Optimization Finished!")
print("Accuracy:", model.evaluate(X_test, Y_test, verbose=0)[1])
