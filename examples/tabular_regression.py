"""House prices (Boston housing): a regression model that can only predict values in (0, 1).

Bugs: the output layer uses a sigmoid although the targets are prices in thousands of dollars
(LLM), and the 13 features reach the model unscaled, with columns in very different ranges (IDN).
"""

from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()

model = keras.Sequential(
    [
        layers.Dense(64, activation="relu", input_shape=(x_train.shape[1],)),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse", metrics=["mae"])
history = model.fit(x_train, y_train, batch_size=32, epochs=100, validation_split=0.2, verbose=0)

test_mse, test_mae = model.evaluate(x_test, y_test)
print(f"mean absolute error: {test_mae:.2f} (thousand dollars)")
