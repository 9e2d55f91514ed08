from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.models import Model

inputs = Input(shape=(64,))
hidden = Dense(128, activation='relu')(inputs)
outputs = Dense(3, activation='softmax')(hidden)
model = Model(inputs, outputs)
