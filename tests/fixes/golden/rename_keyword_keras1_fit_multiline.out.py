# Keras 1 training call from a Stack Overflow question, one keyword per line.
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(12, input_dim=8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
history = model.fit(
    X,
    Y,
    epochs=150,  # Keras 1 name
    batch_size=10,
)
