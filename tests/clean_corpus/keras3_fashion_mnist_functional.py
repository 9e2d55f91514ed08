"""Keras 3: a functional-API CNN for Fashion-MNIST that rescales pixels inside the model."""

import keras
import numpy as np
from keras import layers

SEED = 7
NUM_CLASSES = 10
BATCH_SIZE = 128
EPOCHS = 20

keras.utils.set_random_seed(SEED)

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()

# Keep the raw uint8 pixels; the Rescaling layer maps them to [0, 1] inside the model,
# so the saved model accepts raw images at inference time too.
x_train = np.expand_dims(x_train, -1)
x_test = np.expand_dims(x_test, -1)

inputs = keras.Input(shape=(28, 28, 1), name="image")
x = layers.Rescaling(1.0 / 255)(inputs)
x = layers.Conv2D(32, 3, activation="relu")(x)
x = layers.MaxPooling2D(pool_size=2)(x)
x = layers.Conv2D(64, 3, activation="relu")(x)
x = layers.MaxPooling2D(pool_size=2)(x)
x = layers.Flatten()(x)
x = layers.Dropout(0.5)(x)
x = layers.Dense(128, activation="relu")(x)
outputs = layers.Dense(NUM_CLASSES, activation="softmax", name="class_probabilities")(x)

model = keras.Model(inputs=inputs, outputs=outputs, name="fashion_mnist_cnn")
model.summary()

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
)

model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.1,
    callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)],
)

results = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
print(f"Test accuracy: {results['accuracy']:.4f}")

probabilities = model.predict(x_test[:5], verbose=0)
print("Predicted classes:", probabilities.argmax(axis=1), "true:", y_test[:5])
model.save("fashion_mnist_cnn.keras")
