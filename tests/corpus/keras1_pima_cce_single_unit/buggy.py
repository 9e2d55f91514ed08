# case: diabetes classifier loss is 0 and accuracy frozen, categorical_crossentropy on one sigmoid unit, raw CSV features (cf. SO 31880720); framework: keras; problem: binary; input: tabular
import numpy
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense

seed = 7
numpy.random.seed(seed)

dataframe = pd.read_csv("pima-indians-diabetes.csv", header=None)
dataset = dataframe.values

X = dataset[:, 0:8]
Y = dataset[:, 8]

model = Sequential()
model.add(Dense(12, input_dim=8, init='uniform', activation='relu'))  # expect: INN
model.add(Dense(8, init='uniform', activation='relu'))
model.add(Dense(1, init='uniform', activation='sigmoid'))

model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])  # expect: LLM

model.fit(X, Y, nb_epoch=150, batch_size=10, verbose=2)  # expect: IDN, IBS

scores = model.evaluate(X, Y)  # expect: IDN
print("%s: %.2f%%" % (model.metrics_names[1], scores[1] * 100))

predictions = model.predict(X)  # expect: IDN
rounded = [round(x[0]) for x in predictions]
print(rounded)
