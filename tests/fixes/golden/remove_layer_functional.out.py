from keras.layers import Input, Dense, Activation
from keras.models import Model

inputs = Input(shape=(20,))
x = Dense(64, activation='relu')(inputs)
x = Dense(1)(x)
outputs = x
model = Model(inputs=inputs, outputs=outputs)
