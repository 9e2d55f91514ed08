from keras.layers import Dense

model.add(Dense(4, input_dim=3))
model.add(Dense(1))
