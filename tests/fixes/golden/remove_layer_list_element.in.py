from tensorflow import keras

model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dropout(0.9),  # heavy regularisation
    # classifier head
    keras.layers.Dense(10, activation='softmax'),
])
