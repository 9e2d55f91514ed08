# fixes: IDN
import argparse

from tensorflow import keras
from tensorflow.keras import layers

parser = argparse.ArgumentParser()
parser.add_argument('--depth', type=int, default=4)
parser.add_argument('--units', type=int, default=256)
parser.add_argument('--lr', type=float, default=0.001)
parser.add_argument('--batch-size', type=int, default=64)
parser.add_argument('--epochs', type=int, default=10)
args = parser.parse_args()

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype('float32')
x_test = x_test.reshape(-1, 784).astype('float32')
x_train /= 255.0
x_test /= 255.0


def build_model(depth, units, lr):
    model = keras.Sequential()
    model.add(layers.Input(shape=(784,)))
    for _ in range(depth):
        model.add(layers.Dense(units, activation='relu'))
    model.add(layers.Dense(10, activation='softmax'))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr),
                  loss='sparse_categorical_crossentropy',
                  metrics=['accuracy'])
    return model


model = build_model(args.depth, args.units, args.lr)
model.summary()
model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs,
          validation_split=0.1)
loss, acc = model.evaluate(x_test, y_test)
print('depth=%d units=%d -> test accuracy %.4f' % (args.depth, args.units, acc))
