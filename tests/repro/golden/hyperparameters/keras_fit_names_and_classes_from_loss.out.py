from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
# dl-lsp repro: A3 hyperparameters
input_dim = 20
model.add(Dense(64, activation="relu", input_dim=input_dim))
# dl-lsp repro: A3 hyperparameters
num_classes = 10
model.add(Dense(num_classes, activation="softmax"))
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
# dl-lsp repro: A3 hyperparameters
batch_size = 32
nb_epoch = 10
model.fit(x, y, batch_size=batch_size, epochs=nb_epoch)
