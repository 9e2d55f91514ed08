"""tf.keras: a GRU forecaster on hourly weather data, chronological split, scaler fit on the past."""

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
from tensorflow.keras import layers

SEED = 14
WINDOW = 72  # three days of hourly readings
HORIZON = 24  # predict the temperature one day ahead
BATCH_SIZE = 256
EPOCHS = 20
FEATURES = ["T (degC)", "p (mbar)", "rh (%)", "wv (m/s)"]

keras.utils.set_random_seed(SEED)

frame = pd.read_csv("jena_climate_2009_2016.csv")[FEATURES].iloc[5::6]  # hourly samples
values = frame.to_numpy(dtype="float32")

# Time series are split chronologically: the model must not train on the future.
n = len(values)
train_end, val_end = int(0.7 * n), int(0.85 * n)
scaler = StandardScaler().fit(values[:train_end])
scaled = scaler.transform(values).astype("float32")
targets = scaled[:, 0]  # standardised temperature


def make_dataset(start, end, shuffle):
    return keras.utils.timeseries_dataset_from_array(
        scaled[start : end - HORIZON],
        targets[start + WINDOW + HORIZON - 1 : end],
        sequence_length=WINDOW,
        batch_size=BATCH_SIZE,
        shuffle=shuffle,
        seed=SEED,
    )


# Windows are shuffled within the training period only.
train_ds = make_dataset(0, train_end, shuffle=True)
val_ds = make_dataset(train_end, val_end, shuffle=False)
test_ds = make_dataset(val_end, n, shuffle=False)

model = keras.Sequential(
    [
        keras.Input(shape=(WINDOW, len(FEATURES))),
        layers.GRU(32, dropout=0.1, recurrent_dropout=0.0),
        layers.Dense(16, activation="relu"),
        layers.Dense(1),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse", metrics=["mae"])
model.fit(
    train_ds,
    epochs=EPOCHS,
    validation_data=val_ds,
    callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)],
)

test_mse, test_mae = model.evaluate(test_ds, verbose=0)
temperature_std = float(np.sqrt(scaler.var_[0]))
print(f"Test MAE: {test_mae * temperature_std:.2f} degC")
