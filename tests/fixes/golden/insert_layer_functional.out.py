from tensorflow.keras.layers import Input, Dense, Dropout
from tensorflow.keras.models import Model

inputs = Input(shape=(64,))
hidden = Dense(128, activation='relu')(inputs)
hidden = Dropout(0.5)(hidden)
outputs = Dense(3, activation='softmax')(hidden)
model = Model(inputs, outputs)
