# case: Keras 1 MNIST convnet accuracy stuck at 10%, raw 0-255 pixels, one conv layer with 4 filters (cf. SO 48385830); framework: keras; problem: multiclass; input: grayscale
import numpy as np
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers import Dense, Flatten, Activation
from keras.layers import Convolution2D, MaxPooling2D
from keras.utils import np_utils

np.random.seed(123)

(X_train, y_train), (X_test, y_test) = mnist.load_data()

X_train = X_train.reshape(X_train.shape[0], 1, 28, 28)
X_test = X_test.reshape(X_test.shape[0], 1, 28, 28)
X_train = X_train.astype('float32')
X_test = X_test.astype('float32')

Y_train = np_utils.to_categorical(y_train, 10)
Y_test = np_utils.to_categorical(y_test, 10)

model = Sequential()
model.add(Convolution2D(4, 5, 5, border_mode='valid', input_shape=(1, 28, 28)))  # expect: INF, ICL
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(128))
model.add(Activation('relu'))
model.add(Dense(10))
model.add(Activation('softmax'))

model.compile(loss='categorical_crossentropy', optimizer='adadelta', metrics=['accuracy'])

model.fit(X_train, Y_train, batch_size=128, nb_epoch=12, verbose=1, validation_split=0.1)  # expect: IDN

score = model.evaluate(X_test, Y_test, verbose=0)  # expect: IDN
print('Test score:', score[0])
print('Test accuracy:', score[1])
