"""tf.keras: a multiclass MLP on the UCI wine data (13 tabular features, 3 cultivars)."""

import random

import numpy as np
import tensorflow as tf
from sklearn.datasets import load_wine
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow.keras import Sequential
from tensorflow.keras.callbacks import EarlyStopping
from tensorflow.keras.layers import Dense, Dropout, Input
from tensorflow.keras.optimizers import Adam

SEED = 2024
BATCH_SIZE = 32
EPOCHS = 300

random.seed(SEED)
np.random.seed(SEED)
tf.random.set_seed(SEED)

wine = load_wine()
x, y = wine.data.astype("float32"), wine.target
num_classes = len(wine.target_names)

x_train, x_test, y_train, y_test = train_test_split(
    x, y, test_size=0.25, stratify=y, random_state=SEED
)

scaler = StandardScaler().fit(x_train)
x_train = scaler.transform(x_train)
x_test = scaler.transform(x_test)

model = Sequential(
    [
        Input(shape=(x_train.shape[1],)),
        Dense(32, activation="relu"),
        Dropout(0.2),
        Dense(16, activation="relu"),
        Dense(num_classes, activation="softmax"),
    ]
)
model.compile(
    optimizer=Adam(learning_rate=5e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)

model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.2,
    callbacks=[EarlyStopping(monitor="val_loss", patience=25, restore_best_weights=True)],
    verbose=0,
)

test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_accuracy:.3f}")

predicted = model.predict(x_test, verbose=0).argmax(axis=1)
print(classification_report(y_test, predicted, target_names=wine.target_names))
