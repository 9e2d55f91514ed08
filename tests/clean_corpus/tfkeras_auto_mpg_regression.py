"""tf.keras: fuel-efficiency regression on the Auto MPG CSV with a Normalization layer adapted on training data."""

import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

SEED = 1
BATCH_SIZE = 32
EPOCHS = 100
COLUMNS = [
    "MPG",
    "Cylinders",
    "Displacement",
    "Horsepower",
    "Weight",
    "Acceleration",
    "Model Year",
    "Origin",
]

keras.utils.set_random_seed(SEED)

dataset = pd.read_csv(
    "auto-mpg.data", names=COLUMNS, na_values="?", comment="\t", sep=" ", skipinitialspace=True
).dropna()
dataset["Origin"] = dataset["Origin"].map({1: "USA", 2: "Europe", 3: "Japan"})
dataset = pd.get_dummies(dataset, columns=["Origin"], prefix="", prefix_sep="", dtype=float)

train_dataset = dataset.sample(frac=0.8, random_state=SEED)
test_dataset = dataset.drop(train_dataset.index)

train_features = train_dataset.copy()
test_features = test_dataset.copy()
train_labels = train_features.pop("MPG")
test_labels = test_features.pop("MPG")

# The Normalization layer learns the mean and variance of the training features only.
normalizer = layers.Normalization(axis=-1)
normalizer.adapt(np.array(train_features, dtype="float32"))

model = keras.Sequential(
    [
        normalizer,
        layers.Dense(64, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(1),
    ]
)
model.compile(loss="mean_absolute_error", optimizer=keras.optimizers.Adam(learning_rate=1e-3))

history = model.fit(
    train_features.astype("float32"),
    train_labels,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.2,
    callbacks=[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)],
    verbose=0,
)
print(f"Final validation MAE: {history.history['val_loss'][-1]:.2f} MPG")

test_mae = model.evaluate(test_features.astype("float32"), test_labels, verbose=0)
print(f"Test MAE: {test_mae:.2f} MPG")

predictions = model.predict(test_features.astype("float32"), verbose=0).flatten()
print(pd.DataFrame({"predicted": predictions[:5], "actual": test_labels[:5].to_numpy()}))
print("TensorFlow", tf.__version__)
