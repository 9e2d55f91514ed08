from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(64, activation="relu", input_dim=input_dim))
model.add(Dense(num_classes, activation="softmax"))
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(x, y, batch_size=batch_size, epochs=nb_epoch)
