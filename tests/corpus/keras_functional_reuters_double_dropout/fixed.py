# fixes: MRD
import numpy as np
from keras.datasets import reuters
from keras.layers import Input, Dense, Dropout, BatchNormalization
from keras.models import Model
from keras.utils import to_categorical

(train_data, train_labels), (test_data, test_labels) = reuters.load_data(num_words=10000)


def vectorize_sequences(sequences, dimension=10000):
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1.
    return results


x_train = vectorize_sequences(train_data)
x_test = vectorize_sequences(test_data)
one_hot_train_labels = to_categorical(train_labels, 46)
one_hot_test_labels = to_categorical(test_labels, 46)

inputs = Input(shape=(10000,))
x = Dense(64, activation='relu')(inputs)
x = BatchNormalization()(x)
x = Dropout(0.5)(x)
x = Dense(64, activation='relu')(x)
outputs = Dense(46, activation='softmax')(x)
model = Model(inputs, outputs)

model.compile(optimizer='rmsprop',
              loss='categorical_crossentropy',
              metrics=['accuracy'])

model.fit(x_train, one_hot_train_labels,
          epochs=20,
          batch_size=128,
          validation_split=0.2)

results = model.evaluate(x_test, one_hot_test_labels)
print(results)
predictions = model.predict(x_test)
print(np.argmax(predictions[0]), np.sum(predictions[0]))
