"""Keras 2: an MLP regressor for Boston house prices, features standardised with training statistics."""

import random

import numpy as np
import tensorflow as tf
from keras import layers, models, optimizers
from keras.datasets import boston_housing

SEED = 0
BATCH_SIZE = 32
EPOCHS = 120

random.seed(SEED)
np.random.seed(SEED)
tf.random.set_seed(SEED)

(train_data, train_targets), (test_data, test_targets) = boston_housing.load_data(seed=SEED)

# Standardise each feature with the mean and standard deviation of the training data only;
# the test data is scaled with the same training statistics.
mean = train_data.mean(axis=0)
std = train_data.std(axis=0)
train_data = (train_data - mean) / std
test_data = (test_data - mean) / std


def build_model(num_features):
    model = models.Sequential()
    model.add(layers.Dense(64, activation="relu", input_shape=(num_features,)))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(1))
    model.compile(
        optimizer=optimizers.RMSprop(learning_rate=1e-3),
        loss="mse",
        metrics=["mae"],
    )
    return model


# Shuffle once, then keep the last fifth of the training data for validation.
permutation = np.random.permutation(len(train_data))
train_data, train_targets = train_data[permutation], train_targets[permutation]
split = int(0.8 * len(train_data))
partial_x, val_x = train_data[:split], train_data[split:]
partial_y, val_y = train_targets[:split], train_targets[split:]

model = build_model(train_data.shape[1])
history = model.fit(
    partial_x,
    partial_y,
    validation_data=(val_x, val_y),
    epochs=EPOCHS,
    batch_size=BATCH_SIZE,
    verbose=0,
)
best_epoch = int(np.argmin(history.history["val_mae"])) + 1
print(f"Best validation MAE {min(history.history['val_mae']):.2f} at epoch {best_epoch}")

# Retrain on all the training data for the best number of epochs, then test once.
model = build_model(train_data.shape[1])
model.fit(train_data, train_targets, epochs=best_epoch, batch_size=BATCH_SIZE, verbose=0)
test_mse, test_mae = model.evaluate(test_data, test_targets, verbose=0)
print(f"Test MAE: {test_mae:.2f} (thousands of dollars)")
