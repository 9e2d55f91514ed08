"""Keras 2: a LeNet-style convolutional network for MNIST digits (grayscale, 10 classes)."""

from keras.callbacks import EarlyStopping
from keras.datasets import mnist
from keras.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from keras.models import Sequential
from keras.optimizers import Adam
from keras.utils import set_random_seed, to_categorical

SEED = 42
NUM_CLASSES = 10
BATCH_SIZE = 128
EPOCHS = 15
LEARNING_RATE = 1e-3

# Seeds Python, NumPy and the backend in one call.
set_random_seed(SEED)

(x_train, y_train), (x_test, y_test) = mnist.load_data()

# Add the channel axis and scale the pixels to [0, 1].
x_train = x_train.reshape(-1, 28, 28, 1).astype("float32") / 255.0
x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255.0

y_train = to_categorical(y_train, NUM_CLASSES)
y_test = to_categorical(y_test, NUM_CLASSES)

model = Sequential()
model.add(Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Conv2D(64, kernel_size=(3, 3), activation="relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(128, activation="relu"))
model.add(Dropout(0.5))
model.add(Dense(NUM_CLASSES, activation="softmax"))

model.compile(
    loss="categorical_crossentropy",
    optimizer=Adam(learning_rate=LEARNING_RATE),
    metrics=["accuracy"],
)
model.summary()

early_stopping = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.1,
    shuffle=True,
    callbacks=[early_stopping],
)

test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test loss: {test_loss:.4f}, test accuracy: {test_accuracy:.4f}")
model.save("mnist_cnn.h5")
