# case: house price regression always predicts 1.0, Dense(1) followed by Activation('softmax') (cf. SO 34311586); framework: keras; problem: regression; input: tabular
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers.core import Dense, Activation
from keras.optimizers import SGD
from sklearn.preprocessing import StandardScaler
from sklearn.cross_validation import train_test_split

np.random.seed(1337)

df = pd.read_csv('housing.csv', delim_whitespace=True, header=None)
data = df.values
X = data[:, 0:13]
y = data[:, 13]

scaler = StandardScaler()
X = scaler.fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

model = Sequential()
model.add(Dense(output_dim=13, input_dim=13, init='normal'))
model.add(Activation('relu'))
model.add(Dense(output_dim=6, init='normal'))
model.add(Activation('relu'))
model.add(Dense(output_dim=1, init='normal'))
model.add(Activation('softmax'))  # expect: LLM

sgd = SGD(lr=0.001, momentum=0.9, nesterov=True)
model.compile(loss='mean_squared_error', optimizer=sgd)

model.fit(X_train, y_train, nb_epoch=100, batch_size=64, validation_split=0.1, verbose=2)

score = model.evaluate(X_test, y_test, batch_size=64)
print('Test MSE:', score)

pred = model.predict(X_test)
for p, t in zip(pred[:10], y_test[:10]):
    print('predicted %.2f, actual %.2f' % (p[0], t))
