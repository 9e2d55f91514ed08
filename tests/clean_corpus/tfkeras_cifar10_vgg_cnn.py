"""tf.keras: a small VGG-style CNN with batch normalisation for CIFAR-10 (colour, 10 classes)."""

import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

SEED = 1234
NUM_CLASSES = 10
BATCH_SIZE = 64
EPOCHS = 60
VALIDATION_SIZE = 5000

keras.utils.set_random_seed(SEED)

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0

# Hold out the last images of the training set for validation.
x_val, y_val = x_train[-VALIDATION_SIZE:], y_train[-VALIDATION_SIZE:]
x_train, y_train = x_train[:-VALIDATION_SIZE], y_train[:-VALIDATION_SIZE]

model = keras.Sequential(
    [
        keras.Input(shape=(32, 32, 3)),
        layers.RandomFlip("horizontal"),
        layers.RandomTranslation(0.1, 0.1),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Dropout(0.2),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Dropout(0.3),
        layers.Conv2D(128, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.Conv2D(128, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Dropout(0.4),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.BatchNormalization(),
        layers.Dropout(0.5),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ],
    name="cifar10_vgg",
)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)

callbacks = [
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=4, min_lr=1e-5),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True),
    keras.callbacks.ModelCheckpoint("cifar10_vgg.keras", save_best_only=True),
]

history = model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_data=(x_val, y_val),
    callbacks=callbacks,
)

test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
print(f"TensorFlow {tf.__version__}: test accuracy {test_accuracy:.4f}")
