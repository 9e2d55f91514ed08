from keras.layers import Dense

# dl-lsp repro: A2 stand-in model
model = Sequential()
model.add(Dense(4, input_dim=3))
model.add(Dense(1))
