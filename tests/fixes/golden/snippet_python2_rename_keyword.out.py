from keras.models import Sequential
from keras.layers import Dense, Dropout

model = Sequential()
model.add(Dense(output_dim=64, input_dim=100, init='uniform'))
model.add(Dropout(p=0.5))
print "Training..."
model.fit(X_train, y_train, epochs=5, batch_size=32)
