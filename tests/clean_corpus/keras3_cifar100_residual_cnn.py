"""Keras 3 (JAX backend): a residual CNN for CIFAR-100 built with the functional API."""

import os

# The backend must be chosen before keras is imported.
os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
from keras import layers

SEED = 100
NUM_CLASSES = 100
BATCH_SIZE = 128
EPOCHS = 60

keras.utils.set_random_seed(SEED)

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, padding="same", use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)

# Stage 1: a residual block at 32x32, then downsample.
shortcut = x
x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
x = layers.Conv2D(32, 3, padding="same")(x)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(layers.add([x, shortcut]))
x = layers.MaxPooling2D()(x)

# Stage 2: 16x16 with 64 filters; a 1x1 convolution projects the shortcut.
shortcut = layers.Conv2D(64, 1, padding="same")(x)
x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
x = layers.Conv2D(64, 3, padding="same")(x)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(layers.add([x, shortcut]))
x = layers.MaxPooling2D()(x)

# Stage 3: 8x8 with 128 filters.
shortcut = layers.Conv2D(128, 1, padding="same")(x)
x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)
x = layers.Conv2D(128, 3, padding="same")(x)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(layers.add([x, shortcut]))

x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="cifar100_resnet")

model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(k=5, name="top5")],
)
model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.1,
    callbacks=[
        keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=5),
        keras.callbacks.EarlyStopping(patience=12, restore_best_weights=True),
    ],
)
print(model.evaluate(x_test, y_test, verbose=0, return_dict=True))
