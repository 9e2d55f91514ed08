# A snippet that does not parse: the fixes that add no syntax error are still applied.
from keras.models import Sequential
model = Sequential()
model.fit(X, Y, nb_epoch=10
print "done"
