"""tf.keras: a transformer encoder block (self-attention + feed-forward) for IMDB sentiment."""

import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

SEED = 3
VOCAB_SIZE = 20000
MAX_LEN = 200
EMBED_DIM = 64
NUM_HEADS = 4
FF_DIM = 128
BATCH_SIZE = 32
EPOCHS = 4


class TransformerBlock(layers.Layer):
    """Post-norm encoder block: multi-head self-attention, then a position-wise MLP."""

    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential(
            [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attended = self.attention(inputs, inputs)
        attended = self.dropout1(attended, training=training)
        out1 = self.norm1(inputs + attended)
        ffn_output = self.dropout2(self.ffn(out1), training=training)
        return self.norm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, max_len, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=max_len, output_dim=embed_dim)

    def call(self, x):
        positions = tf.range(start=0, limit=tf.shape(x)[-1], delta=1)
        return self.token_emb(x) + self.pos_emb(positions)


keras.utils.set_random_seed(SEED)

(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=VOCAB_SIZE)
x_train = keras.utils.pad_sequences(x_train, maxlen=MAX_LEN)
x_test = keras.utils.pad_sequences(x_test, maxlen=MAX_LEN)

inputs = layers.Input(shape=(MAX_LEN,))
x = TokenAndPositionEmbedding(MAX_LEN, VOCAB_SIZE, EMBED_DIM)(inputs)
x = TransformerBlock(EMBED_DIM, NUM_HEADS, FF_DIM)(x)
x = layers.GlobalAveragePooling1D()(x)
x = layers.Dropout(0.1)(x)
x = layers.Dense(32, activation="relu")(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs=inputs, outputs=outputs)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.1,
    callbacks=[keras.callbacks.EarlyStopping(patience=1, restore_best_weights=True)],
)

test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
print(f"Test accuracy: {test_accuracy:.4f}")
