# A Keras 1 CNN as Stack Overflow answers of 2016 wrote it.
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten, Convolution2D, MaxPooling2D
from keras.optimizers import SGD
from keras.utils.np_utils import to_categorical

X_train = np.random.rand(100, 28, 28, 1)
Y_train = to_categorical(np.random.randint(0, 10, 100), 10)

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='valid', init='he_normal', input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(output_dim=128, activation='relu'))
model.add(Dropout(p=0.5))
model.add(Dense(10, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer=SGD(lr=0.01, momentum=0.9), metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=32, nb_epoch=2, show_accuracy=True, verbose=1)
classes = model.predict_classes(X_train)
