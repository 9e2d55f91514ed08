from keras.layers import Dense

head = Dense()
