import numpy as np
try:
    x = np.zeros(3)
except ValueError, e:
    print e
print "shape", x.shape
