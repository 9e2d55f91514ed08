import numpy

dataset = numpy.loadtxt("missing-pima.csv", delimiter=",")
X = dataset[:, 0:8]
Y = dataset[:, 8]
