from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(100, activation='relu', input_shape=(n_features,)))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mse')
es = EarlyStopping(monitor='val_loss', patience=patience, restore_best_weights=True)
model.fit(X_train, y_train, epochs=200, validation_split=0.2, callbacks=[es], verbose=0)
print(model.evaluate(X_test, y_test))
