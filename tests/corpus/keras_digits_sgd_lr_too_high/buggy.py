# case: small MNIST MLP loss jumps to nan after the first epoch, SGD learning rate 0.5 (cf. SO 64522751); framework: keras; problem: multiclass; input: grayscale
import numpy as np
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD
from keras.utils import to_categorical

(train_X, train_y), (test_X, test_y) = mnist.load_data()

train_X = train_X.reshape((train_X.shape[0], 28 * 28)).astype('float32') / 255
test_X = test_X.reshape((test_X.shape[0], 28 * 28)).astype('float32') / 255
train_y = to_categorical(train_y, 10)
test_y = to_categorical(test_y, 10)

model = Sequential()
model.add(Dense(128, activation='relu', input_shape=(784,)))
model.add(Dense(64, activation='relu'))
model.add(Dense(10, activation='softmax'))

opt = SGD(lr=0.5, momentum=0.9)  # expect: LOB
model.compile(optimizer=opt, loss='categorical_crossentropy', metrics=['accuracy'])

history = model.fit(train_X, train_y, epochs=20, batch_size=64,
                    validation_data=(test_X, test_y), verbose=2)

for epoch, (loss, val_loss) in enumerate(zip(history.history['loss'],
                                             history.history['val_loss'])):
    print('epoch %d loss %.4f val_loss %.4f' % (epoch, loss, val_loss))

_, acc = model.evaluate(test_X, test_y, verbose=0)
print('> %.3f' % (acc * 100.0))
print(np.argmax(model.predict(test_X[:10]), axis=1))
