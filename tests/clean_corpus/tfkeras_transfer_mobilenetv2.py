"""tf.keras: transfer learning with a frozen ImageNet MobileNetV2 backbone and a new binary head."""

import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

SEED = 123
IMAGE_SIZE = (160, 160)
BATCH_SIZE = 32
INITIAL_EPOCHS = 10
DATA_DIR = "data/cats_and_dogs"

keras.utils.set_random_seed(SEED)

train_ds = keras.utils.image_dataset_from_directory(
    DATA_DIR,
    validation_split=0.2,
    subset="training",
    seed=SEED,
    shuffle=True,
    image_size=IMAGE_SIZE,
    batch_size=BATCH_SIZE,
)
val_ds = keras.utils.image_dataset_from_directory(
    DATA_DIR,
    validation_split=0.2,
    subset="validation",
    seed=SEED,
    image_size=IMAGE_SIZE,
    batch_size=BATCH_SIZE,
)
train_ds = train_ds.prefetch(tf.data.AUTOTUNE)
val_ds = val_ds.prefetch(tf.data.AUTOTUNE)

data_augmentation = keras.Sequential(
    [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)], name="augmentation"
)

base_model = keras.applications.MobileNetV2(
    input_shape=(*IMAGE_SIZE, 3), include_top=False, weights="imagenet"
)
base_model.trainable = False

inputs = keras.Input(shape=(*IMAGE_SIZE, 3))
x = data_augmentation(inputs)
# MobileNetV2 expects pixels in [-1, 1].
x = keras.applications.mobilenet_v2.preprocess_input(x)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
)

history = model.fit(train_ds, epochs=INITIAL_EPOCHS, validation_data=val_ds)

loss, accuracy = model.evaluate(val_ds, verbose=0)
print(f"Validation accuracy with a frozen backbone: {accuracy:.3f}")
model.save("mobilenetv2_cats_dogs.keras")
