# !pip install keras
# %matplotlib inline
import numpy as np
a = np.ones(2)
# Traceback (most recent call last):
#   File "<stdin>", line 1, in <module>
# NameError: name 'b' is not defined
