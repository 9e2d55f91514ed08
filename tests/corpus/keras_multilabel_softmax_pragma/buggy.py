# case: multi-label tagger only ever predicts one tag, softmax output for independent labels (cf. SO 44164749); framework: keras; problem: multilabel; input: tabular
# dl-lsp: problem=multilabel input=tabular
import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.optimizers import Adam

X, y = make_multilabel_classification(n_samples=5000, n_features=40, n_classes=9,
                                      n_labels=3, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)

scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential()
model.add(Dense(32, activation='relu', input_dim=40))
model.add(Dropout(0.3))
model.add(Dense(16, activation='relu'))
model.add(Dropout(0.3))
model.add(Dense(9, activation='softmax'))  # expect: LLM

model.compile(loss='binary_crossentropy',
              optimizer=Adam(lr=0.001),
              metrics=['accuracy'])

model.fit(X_train, y_train, epochs=30, batch_size=64, validation_split=0.1)

proba = model.predict(X_test)
predicted = (proba > 0.5).astype(int)
print('exact match ratio:', np.mean(np.all(predicted == y_test, axis=1)))
print('labels per sample:', predicted.sum(axis=1).mean())
