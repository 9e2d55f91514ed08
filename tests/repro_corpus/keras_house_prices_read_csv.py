# Keras regression gives huge loss on the Kaggle house prices data
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense

df = pd.read_csv('train.csv')
X = df.drop('SalePrice', axis=1).values
y = df['SalePrice'].values

model = Sequential()
model.add(Dense(64, input_dim=X.shape[1], activation='relu'))
model.add(Dense(1))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(X, y, epochs=50, batch_size=32, verbose=1)
