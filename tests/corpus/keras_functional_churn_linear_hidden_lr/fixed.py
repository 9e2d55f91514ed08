# fixes: CNL, LOB
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from keras.layers import Input, Dense
from keras.models import Model
from keras.optimizers import Adam

df = pd.read_csv('Churn_Modelling.csv')
df = pd.get_dummies(df.drop(columns=['RowNumber', 'CustomerId', 'Surname']),
                    columns=['Geography', 'Gender'], drop_first=True)
X = df.drop(columns=['Exited']).values
y = df['Exited'].values

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)

inputs = Input(shape=(11,))
x = Dense(8, activation='relu')(inputs)
x = Dense(6, activation='relu')(x)
outputs = Dense(1, activation='sigmoid')(x)
model = Model(inputs=inputs, outputs=outputs)

model.compile(optimizer=Adam(learning_rate=0.001),
              loss='binary_crossentropy',
              metrics=['accuracy'])

model.fit(X_train, y_train, batch_size=32, epochs=100, validation_split=0.1)

y_pred = model.predict(X_test)
y_pred = (y_pred > 0.5)
print('test accuracy:', (y_pred.ravel() == y_test).mean())
