# fixes: LOB
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow import keras
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

raw = pd.read_csv('car_prices.csv')
raw = raw.dropna()
features = raw[['year', 'mileage', 'engine_size', 'horsepower', 'doors', 'owners']]
target = raw['price']

X_train, X_test, y_train, y_test = train_test_split(features, target, test_size=0.2)

scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = keras.Sequential([
    keras.layers.Dense(6, activation='relu', input_shape=(6,)),
    keras.layers.Dense(4, activation='relu'),
    keras.layers.Dense(1),
])

model.compile(optimizer=keras.optimizers.RMSprop(0.001),
              loss='mse',
              metrics=['mae'])

history = model.fit(X_train, y_train.values, epochs=200, batch_size=32,
                    validation_split=0.2, verbose=0)
print(pd.DataFrame(history.history).tail())

loss, mae = model.evaluate(X_test, y_test.values, verbose=2)
print('Testing set Mean Abs Error: {:5.2f}'.format(mae))
predictions = model.predict(X_test).flatten()
print(np.c_[predictions[:5], y_test.values[:5]])
