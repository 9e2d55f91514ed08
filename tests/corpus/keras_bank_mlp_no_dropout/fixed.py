# fixes: MRD
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.callbacks import EarlyStopping

data = pd.read_csv('credit_default.csv')
X = data.drop('default', axis=1).values
y = data['default'].values

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y)

scaler = MinMaxScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential()
model.add(Dense(64, activation='relu', input_dim=X_train.shape[1]))
model.add(Dropout(0.3))
model.add(Dense(32, activation='relu'))
model.add(Dropout(0.3))
model.add(Dense(16, activation='relu'))
model.add(Dropout(0.3))
model.add(Dense(1, activation='sigmoid'))

model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])

early = EarlyStopping(monitor='val_loss', patience=10)
history = model.fit(X_train, y_train, epochs=200, batch_size=64,
                    validation_split=0.2, callbacks=[early])

train_acc = history.history['acc'][-1]
val_acc = history.history['val_acc'][-1]
print('train %.3f / val %.3f' % (train_acc, val_acc))

loss, acc = model.evaluate(X_test, y_test)
print('test accuracy', acc)
