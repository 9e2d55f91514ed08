"""tf.keras: mixed-precision training on a GPU (float16 compute, float32 output and variables)."""

import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, mixed_precision

SEED = 10
BATCH_SIZE = 256
EPOCHS = 10

keras.utils.set_random_seed(SEED)

# float16 compute only helps on GPUs with tensor cores; on a CPU keep the float32 default.
gpus = tf.config.list_physical_devices("GPU")
if gpus:
    mixed_precision.set_global_policy("mixed_float16")
print("Compute dtype:", mixed_precision.global_policy().compute_dtype)

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(60000, 784).astype("float32") / 255
x_test = x_test.reshape(10000, 784).astype("float32") / 255

inputs = keras.Input(shape=(784,), name="digits")
x = layers.Dense(512, activation="relu", name="dense_1")(inputs)
x = layers.Dense(256, activation="relu", name="dense_2")(x)
x = layers.Dense(10, name="dense_logits")(x)
# The softmax runs in float32 so the probabilities and the loss are numerically stable.
outputs = layers.Activation("softmax", dtype="float32", name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)

model.compile(
    loss="sparse_categorical_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    metrics=["accuracy"],
)

history = model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.2,
)
test_scores = model.evaluate(x_test, y_test, verbose=2)
print("Test loss:", test_scores[0])
print("Test accuracy:", test_scores[1])
