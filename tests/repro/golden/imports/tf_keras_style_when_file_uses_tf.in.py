import tensorflow as tf

model = Sequential([Dense(10, activation="softmax")])
es = EarlyStopping(patience=3)
