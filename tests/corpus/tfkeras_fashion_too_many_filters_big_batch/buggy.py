# case: Fashion-MNIST CNN overfits quickly and generalises poorly, 512 filters on grayscale input and batch size 512; framework: keras; problem: multiclass; input: grayscale
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
x_train = (x_train / 255.0).reshape(-1, 28, 28, 1)
x_test = (x_test / 255.0).reshape(-1, 28, 28, 1)

model = tf.keras.Sequential([
    layers.Conv2D(64, 3, activation='relu', input_shape=(28, 28, 1)),
    layers.MaxPooling2D(),
    layers.Conv2D(512, 3, activation='relu'),  # expect: INF
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(128, activation='relu'),
    layers.Dropout(0.4),
    layers.Dense(10, activation='softmax'),
])

model.compile(optimizer='adam',
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])

history = model.fit(x_train, y_train,
                    epochs=30,
                    batch_size=512,  # expect: IBS
                    validation_data=(x_test, y_test))

for name in ['loss', 'val_loss', 'accuracy', 'val_accuracy']:
    print(name, np.round(history.history[name][-5:], 4))

test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print('test accuracy', test_acc)
