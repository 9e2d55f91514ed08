I am trying to train a simple network in Keras but I get an error. Here is my code:

model = Sequential()
model.add(Dense(32, input_dim=8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X, Y, epochs=10, batch_size=16)

And the error is:
ValueError: Error when checking input: expected dense_1_input to have shape (8,) but got array with shape (7,)

What am I doing wrong? Thanks in advance!
