# GRU forecasting: predictions are a flat line
from keras.models import Sequential
from keras.layers import GRU, Dense

model = Sequential()
model.add(GRU(50, input_shape=(timesteps, n_features)))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mse')
model.fit(trainX, trainY, epochs=epochs, batch_size=batch_size, verbose=2)
testPredict = model.predict(testX)
