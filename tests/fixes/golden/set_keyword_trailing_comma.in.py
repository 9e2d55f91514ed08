from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)),
        layers.Flatten(),
        layers.Dense(
            10,
            kernel_initializer="he_normal",  # fine
        ),
    ]
)
