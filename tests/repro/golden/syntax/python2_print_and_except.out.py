import numpy as np
try:
    x = np.zeros(3)
except ValueError as e:
    print(e)
print("shape", x.shape)
