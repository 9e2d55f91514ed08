import numpy as np
from keras.models import Sequential
from keras.layers import Dense

# dl-lsp repro: A5 environment fingerprint and seeds
import platform
import random
import tensorflow as tf
print("python", platform.python_version(), "numpy", np.__version__, "tensorflow", tf.__version__, "GPUs", len(tf.config.list_physical_devices("GPU")))
random.seed(0)
np.random.seed(0)
tf.random.set_seed(0)
X = np.random.rand(32, 4)
y = np.random.rand(32, 1)
model = Sequential([Dense(1, input_shape=(4,))])
model.compile(loss="mse", optimizer="sgd")
# dl-lsp repro: A5 the model and its size
model.summary()
# dl-lsp repro: A5 shapes of the data
print("X", getattr(X, "shape", None), "y", getattr(y, "shape", None))
model.fit(X, y, epochs=2)
