# fixes: LLM, IDN
import numpy
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense
from sklearn.preprocessing import StandardScaler

seed = 7
numpy.random.seed(seed)

dataframe = pd.read_csv("pima-indians-diabetes.csv", header=None)
dataset = dataframe.values

X = dataset[:, 0:8]
Y = dataset[:, 8]

scaler = StandardScaler()
X = scaler.fit_transform(X)

model = Sequential()
model.add(Dense(12, input_dim=8, init='uniform', activation='relu'))  # expect: INN
model.add(Dense(8, init='uniform', activation='relu'))
model.add(Dense(1, init='uniform', activation='sigmoid'))

model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])

model.fit(X, Y, nb_epoch=150, batch_size=10, verbose=2)  # expect: IBS

scores = model.evaluate(X, Y)
print("%s: %.2f%%" % (model.metrics_names[1], scores[1] * 100))

predictions = model.predict(X)
rounded = [round(x[0]) for x in predictions]
print(rounded)
