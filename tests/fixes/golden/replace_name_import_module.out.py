import numpy as np
from keras.utils import (
    to_categorical,  # one-hot labels
)

y = to_categorical(np.array([0, 1, 2]), num_classes=3)
