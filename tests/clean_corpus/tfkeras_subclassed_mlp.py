"""tf.keras: a subclassed keras.Model (layers in __init__, forward pass in call) on Fashion-MNIST."""

import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

SEED = 15
BATCH_SIZE = 64
EPOCHS = 20
NUM_CLASSES = 10


class FashionClassifier(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.flatten = layers.Flatten()
        self.hidden1 = layers.Dense(256, activation="relu")
        self.dropout1 = layers.Dropout(0.3)
        self.hidden2 = layers.Dense(128, activation="relu")
        self.dropout2 = layers.Dropout(0.3)
        self.logits = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.flatten(inputs)
        x = self.dropout1(self.hidden1(x), training=training)
        x = self.dropout2(self.hidden2(x), training=training)
        return self.logits(x)


keras.utils.set_random_seed(SEED)

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0

model = FashionClassifier(NUM_CLASSES)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)

model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_split=0.1,
    callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)],
)

test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_accuracy:.4f}")

# The model returns logits; turn them into probabilities only for reporting.
probabilities = tf.nn.softmax(model.predict(x_test[:5], verbose=0), axis=-1)
print("Predicted:", tf.argmax(probabilities, axis=-1).numpy(), "true:", y_test[:5])
