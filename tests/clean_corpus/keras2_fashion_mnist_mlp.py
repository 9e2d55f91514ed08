"""Keras 2: a two-hidden-layer MLP for Fashion-MNIST with integer labels and sparse cross-entropy."""

import random

import numpy as np
import tensorflow as tf
from keras.callbacks import EarlyStopping
from keras.datasets import fashion_mnist
from keras.layers import Dense, Dropout, Flatten
from keras.models import Sequential
from keras.optimizers import Adam

SEED = 27
BATCH_SIZE = 64
EPOCHS = 40
CLASS_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]

random.seed(SEED)
np.random.seed(SEED)
tf.random.set_seed(SEED)

(train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
train_images = train_images / 255.0
test_images = test_images / 255.0

model = Sequential(
    [
        Flatten(input_shape=(28, 28)),
        Dense(256, activation="relu"),
        Dropout(0.3),
        Dense(128, activation="relu"),
        Dropout(0.3),
        Dense(len(CLASS_NAMES), activation="softmax"),
    ]
)

model.compile(
    optimizer=Adam(learning_rate=1e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)

model.fit(
    train_images,
    train_labels,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.1,
    callbacks=[EarlyStopping(monitor="val_accuracy", patience=5, restore_best_weights=True)],
)

test_loss, test_accuracy = model.evaluate(test_images, test_labels, verbose=0)
print(f"Test accuracy: {test_accuracy:.4f}")

predictions = model.predict(test_images[:8], verbose=0)
for probabilities, label in zip(predictions, test_labels[:8], strict=True):
    guess = CLASS_NAMES[int(np.argmax(probabilities))]
    print(f"predicted {guess:12s} ({probabilities.max():.2f}), actual {CLASS_NAMES[label]}")
