"""tf.keras: a small MLP for binary classification of tabular data (Pima Indians diabetes CSV)."""

import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

SEED = 42
BATCH_SIZE = 32
EPOCHS = 200

np.random.seed(SEED)
tf.random.set_seed(SEED)

data = pd.read_csv("diabetes.csv")
features = data.drop(columns=["Outcome"]).to_numpy(dtype="float32")
labels = data["Outcome"].to_numpy(dtype="float32")

x_train, x_test, y_train, y_test = train_test_split(
    features, labels, test_size=0.2, stratify=labels, random_state=SEED
)
x_train, x_val, y_train, y_val = train_test_split(
    x_train, y_train, test_size=0.2, stratify=y_train, random_state=SEED
)

# Fit the scaler on the training split only, then apply it to every split.
scaler = StandardScaler()
x_train = scaler.fit_transform(x_train)
x_val = scaler.transform(x_val)
x_test = scaler.transform(x_test)

model = keras.Sequential(
    [
        keras.layers.Dense(16, activation="relu", input_shape=(x_train.shape[1],)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="binary_crossentropy",
    metrics=["accuracy", keras.metrics.AUC(name="auc")],
)

early_stopping = keras.callbacks.EarlyStopping(
    monitor="val_auc", mode="max", patience=20, restore_best_weights=True
)
model.fit(
    x_train,
    y_train,
    validation_data=(x_val, y_val),
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    callbacks=[early_stopping],
    verbose=2,
)

loss, accuracy, auc = model.evaluate(x_test, y_test, verbose=0)
print(f"Test loss {loss:.3f}, accuracy {accuracy:.3f}, AUC {auc:.3f}")

probabilities = model.predict(x_test, verbose=0).ravel()
predicted = (probabilities >= 0.5).astype(int)
print("First predictions:", predicted[:10], "labels:", y_test[:10].astype(int))
