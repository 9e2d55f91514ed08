# fixes: LOB, LLM
import json
import numpy as np
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.model_selection import train_test_split
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Dropout
from tensorflow.keras.optimizers import Adam

features = np.load('movie_embeddings.npy')
with open('movie_genres.json') as f:
    genres = json.load(f)

mlb = MultiLabelBinarizer()
labels = mlb.fit_transform(genres)
n_genres = len(mlb.classes_)
print('genres:', mlb.classes_)

X_train, X_test, y_train, y_test = train_test_split(features, labels, test_size=0.2)

model = Sequential()
model.add(Dense(256, activation='relu', input_dim=features.shape[1]))
model.add(Dropout(0.5))
model.add(Dense(128, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(n_genres, activation='sigmoid'))

model.compile(optimizer=Adam(learning_rate=0.001),
              loss='binary_crossentropy',
              metrics=['accuracy'])

model.fit(X_train, y_train, epochs=20, batch_size=128, validation_split=0.1)

proba = model.predict(X_test[:5])
for row in proba:
    top = np.argsort(row)[::-1][:3]
    print([(mlb.classes_[i], round(float(row[i]), 3)) for i in top])
