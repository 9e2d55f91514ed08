"""tf.keras: a bidirectional LSTM sentiment classifier on the IMDB reviews (binary)."""

import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.preprocessing.sequence import pad_sequences

SEED = 11
VOCAB_SIZE = 20000
MAX_LEN = 200
EMBEDDING_DIM = 128
BATCH_SIZE = 64
EPOCHS = 10

keras.utils.set_random_seed(SEED)

(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=VOCAB_SIZE)
print(f"{len(x_train)} training and {len(x_test)} test reviews")

# Word indices are categorical tokens, not magnitudes: they are padded, not normalised.
x_train = pad_sequences(x_train, maxlen=MAX_LEN, padding="post", truncating="post")
x_test = pad_sequences(x_test, maxlen=MAX_LEN, padding="post", truncating="post")

model = keras.Sequential(
    [
        keras.Input(shape=(MAX_LEN,), dtype="int32"),
        layers.Embedding(VOCAB_SIZE, EMBEDDING_DIM, mask_zero=True),
        layers.Bidirectional(layers.LSTM(64, return_sequences=True)),
        layers.Bidirectional(layers.LSTM(32)),
        layers.Dropout(0.3),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]
)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
model.summary()

model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.2,
    callbacks=[
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    ],
)

loss, accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
print(f"Test accuracy: {accuracy:.4f}")

sample = tf.constant(x_test[:3])
print("Positive-review probabilities:", model.predict(sample, verbose=0).ravel())
