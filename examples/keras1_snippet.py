# A Keras 1 snippet copied from an old Stack Overflow answer (Python 2).
# Bugs: the Python 2 print statement is a syntax error in Python 3 (SNP001); the rest of the
# snippet is still analysed: nb_epoch and border_mode are Keras 1 arguments.
from keras.models import Sequential
from keras.layers import Dense, Activation, Convolution2D, MaxPooling2D, Flatten
from keras.datasets import mnist

(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train = X_train.reshape(X_train.shape[0], 1, 28, 28)

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='valid', input_shape=(1, 28, 28)))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10))
model.add(Activation('softmax'))

model.compile(loss='categorical_crossentropy', optimizer='adadelta')
print "Training..."
model.fit(X_train, y_train, batch_size=128, nb_epoch=12, show_accuracy=True, verbose=1)
