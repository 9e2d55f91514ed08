from keras.layers import Dense

head = Dense(activation="sigmoid")
