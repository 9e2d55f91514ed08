"""tf.keras: a custom training loop with tf.GradientTape and tf.function on MNIST."""

import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

SEED = 9
BATCH_SIZE = 64
EPOCHS = 5

keras.utils.set_random_seed(SEED)

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = (x_train[..., None] / 255.0).astype("float32")
x_test = (x_test[..., None] / 255.0).astype("float32")

train_ds = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .shuffle(60000, seed=SEED)
    .batch(BATCH_SIZE)
)
test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(256)

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10),
    ]
)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(learning_rate=1e-3)

train_loss = keras.metrics.Mean(name="train_loss")
train_accuracy = keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
test_accuracy = keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")


@tf.function
def train_step(images, labels):
    with tf.GradientTape() as tape:
        logits = model(images, training=True)
        loss = loss_fn(labels, logits)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
    train_loss.update_state(loss)
    train_accuracy.update_state(labels, logits)


@tf.function
def test_step(images, labels):
    logits = model(images, training=False)
    test_accuracy.update_state(labels, logits)


for epoch in range(EPOCHS):
    for metric in (train_loss, train_accuracy, test_accuracy):
        metric.reset_state()
    for images, labels in train_ds:
        train_step(images, labels)
    for images, labels in test_ds:
        test_step(images, labels)
    print(
        f"epoch {epoch + 1}: loss {train_loss.result():.4f}, "
        f"train acc {train_accuracy.result():.4f}, test acc {test_accuracy.result():.4f}"
    )

model.save("mnist_tape.keras")
