import numpy as np

data = preprocess(np.arange(6))
print(data)
