# case: deep MNIST MLP barely improves after many epochs, four hidden Dense layers without normalization and SGD learning rate 1e-5; framework: keras; problem: multiclass; input: grayscale
import tensorflow as tf
from tensorflow.keras.datasets import mnist
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Dropout
from tensorflow.keras.optimizers import SGD

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(-1, 784).astype('float32') / 255.0
x_test = x_test.reshape(-1, 784).astype('float32') / 255.0

model = Sequential([
    Dense(256, activation='relu', input_shape=(784,)),  # expect: MNL
    Dropout(0.2),
    Dense(128, activation='relu'),
    Dropout(0.2),
    Dense(128, activation='relu'),
    Dropout(0.2),
    Dense(64, activation='relu'),
    Dropout(0.2),
    Dense(10, activation='softmax'),
])

model.compile(optimizer=SGD(learning_rate=0.00001, momentum=0.9),  # expect: LOB
              loss='sparse_categorical_crossentropy',
              metrics=['accuracy'])

history = model.fit(x_train, y_train, epochs=50, batch_size=128,
                    validation_data=(x_test, y_test))

print('final train acc', history.history['accuracy'][-1])
print('final val acc', history.history['val_accuracy'][-1])
