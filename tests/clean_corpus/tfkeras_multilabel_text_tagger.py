"""tf.keras: a multi-label article tagger (TextVectorization, sigmoid outputs, binary cross-entropy)."""

import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MultiLabelBinarizer
from tensorflow import keras
from tensorflow.keras import layers

SEED = 19
VOCAB_SIZE = 20000
SEQUENCE_LENGTH = 250
BATCH_SIZE = 64
EPOCHS = 20

keras.utils.set_random_seed(SEED)

articles = pd.read_csv("articles.csv")  # columns: abstract, terms ("cs.LG;stat.ML")
binarizer = MultiLabelBinarizer()
labels = binarizer.fit_transform(articles["terms"].str.split(";")).astype("float32")
num_tags = len(binarizer.classes_)

train_text, test_text, train_labels, test_labels = train_test_split(
    articles["abstract"].to_numpy(), labels, test_size=0.15, random_state=SEED
)

# The vocabulary is adapted on the training abstracts only.
vectorizer = layers.TextVectorization(
    max_tokens=VOCAB_SIZE, output_mode="int", output_sequence_length=SEQUENCE_LENGTH
)
vectorizer.adapt(train_text)

train_ds = (
    tf.data.Dataset.from_tensor_slices((train_text, train_labels))
    .shuffle(len(train_text), seed=SEED)
    .batch(BATCH_SIZE)
    .map(lambda text, y: (vectorizer(text), y), num_parallel_calls=tf.data.AUTOTUNE)
    .prefetch(tf.data.AUTOTUNE)
)
test_ds = (
    tf.data.Dataset.from_tensor_slices((test_text, test_labels))
    .batch(256)
    .map(lambda text, y: (vectorizer(text), y), num_parallel_calls=tf.data.AUTOTUNE)
)

model = keras.Sequential(
    [
        keras.Input(shape=(SEQUENCE_LENGTH,), dtype="int64"),
        layers.Embedding(VOCAB_SIZE, 64),
        layers.GlobalAveragePooling1D(),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(num_tags, activation="sigmoid"),  # one independent probability per tag
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="binary_crossentropy",
    metrics=[keras.metrics.AUC(multi_label=True, name="auc")],
)

model.fit(
    train_ds,
    epochs=EPOCHS,
    validation_data=test_ds,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=3)],
)

probabilities = model.predict(test_ds, verbose=0)
predicted = (probabilities >= 0.5).astype(int)
exact_match = float(np.mean(np.all(predicted == test_labels, axis=1)))
print(f"Exact-match ratio on the test abstracts: {exact_match:.3f}")
print("Tags of the first abstract:", binarizer.inverse_transform(predicted[:1]))
