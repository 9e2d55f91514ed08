# Limit GPU memory for Keras with TensorFlow backend
import tensorflow as tf
from keras import backend as K
from keras.models import Sequential
from keras.layers import Dense

config = tf.ConfigProto()
config.gpu_options.allow_growth = True
K.set_session(tf.Session(config=config))

model = Sequential()
model.add(Dense(10, input_dim=5, activation='softmax'))
model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')
model.fit(X_train, y_train, epochs=3)
