"""House prices from a CSV file: a regression model that can only predict values in (0, 1).

Bugs: the output layer uses a sigmoid although the targets are prices (LLM), and the features
reach the model unscaled, with columns in very different ranges (IDN).
"""

import pandas as pd
from sklearn.model_selection import train_test_split
from tensorflow import keras
from tensorflow.keras import layers

frame = pd.read_csv("housing.csv")
features = frame.drop(columns=["median_house_value"]).select_dtypes("number").fillna(0)
targets = frame["median_house_value"]
x_train, x_test, y_train, y_test = train_test_split(features, targets, test_size=0.2)

model = keras.Sequential(
    [
        layers.Dense(64, activation="relu", input_shape=(x_train.shape[1],)),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse", metrics=["mae"])
model.fit(x_train, y_train, batch_size=32, epochs=50, validation_split=0.1)
print(model.evaluate(x_test, y_test))
