# A Keras 1 CNN as Stack Overflow answers of 2016 wrote it.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten, Convolution2D, MaxPooling2D
from keras.optimizers import SGD
from keras.utils import to_categorical

X_train = np.random.rand(100, 28, 28, 1)
Y_train = to_categorical(np.random.randint(0, 10, 100), 10)

model = Sequential()
model.add(Convolution2D(32, (3, 3), padding='valid', kernel_initializer='he_normal', input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(units=128, activation='relu'))
model.add(Dropout(rate=0.5))
model.add(Dense(10, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer=SGD(learning_rate=0.01, momentum=0.9), metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=32, epochs=2, verbose=1)
classes = np.argmax(model.predict(X_train), axis=-1)
