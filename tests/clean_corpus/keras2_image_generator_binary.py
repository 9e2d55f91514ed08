"""Keras 2: a binary image classifier fed by ImageDataGenerator(rescale=1./255).flow_from_directory."""

from keras.callbacks import EarlyStopping, ModelCheckpoint
from keras.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from keras.models import Sequential
from keras.optimizers import Adam
from keras.preprocessing.image import ImageDataGenerator
from keras.utils import set_random_seed

SEED = 8
IMAGE_SIZE = (150, 150)
BATCH_SIZE = 32
EPOCHS = 50

set_random_seed(SEED)

# Augment the training images only; every generator rescales pixels to [0, 1].
train_datagen = ImageDataGenerator(
    rescale=1.0 / 255,
    rotation_range=20,
    width_shift_range=0.1,
    height_shift_range=0.1,
    zoom_range=0.2,
    horizontal_flip=True,
)
val_datagen = ImageDataGenerator(rescale=1.0 / 255)

train_generator = train_datagen.flow_from_directory(
    "data/train", target_size=IMAGE_SIZE, batch_size=BATCH_SIZE, class_mode="binary", seed=SEED
)
validation_generator = val_datagen.flow_from_directory(
    "data/validation",
    target_size=IMAGE_SIZE,
    batch_size=BATCH_SIZE,
    class_mode="binary",
    shuffle=False,
)

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(*IMAGE_SIZE, 3)))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(64, (3, 3), activation="relu"))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(128, (3, 3), activation="relu"))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(128, (3, 3), activation="relu"))
model.add(MaxPooling2D((2, 2)))
model.add(Flatten())
model.add(Dropout(0.5))
model.add(Dense(256, activation="relu"))
model.add(Dense(1, activation="sigmoid"))

model.compile(loss="binary_crossentropy", optimizer=Adam(learning_rate=1e-4), metrics=["accuracy"])

model.fit(
    train_generator,
    epochs=EPOCHS,
    validation_data=validation_generator,
    callbacks=[
        EarlyStopping(monitor="val_loss", patience=8, restore_best_weights=True),
        ModelCheckpoint("cats_dogs_cnn.h5", monitor="val_loss", save_best_only=True),
    ],
)

loss, accuracy = model.evaluate(validation_generator, verbose=0)
print(f"Validation accuracy: {accuracy:.3f}")
