"""Sentiment of movie reviews (IMDB): a binary classifier whose output never changes.

Bug: a softmax over a single unit always outputs 1.0, so the model predicts "positive" for
every review and binary cross-entropy has no gradient to follow (LLM).
"""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

VOCABULARY = 10_000
MAX_LENGTH = 200

(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=VOCABULARY)
x_train = keras.preprocessing.sequence.pad_sequences(x_train, maxlen=MAX_LENGTH)
x_test = keras.preprocessing.sequence.pad_sequences(x_test, maxlen=MAX_LENGTH)

model = keras.Sequential(
    [
        layers.Embedding(VOCABULARY, 64, input_length=MAX_LENGTH),
        layers.GlobalAveragePooling1D(),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=5, validation_split=0.2)

loss, accuracy = model.evaluate(x_test, y_test)
print(f"test accuracy: {accuracy:.3f}")  # stuck at 0.5
print(np.unique(model.predict(x_test[:100])))  # [1.]
