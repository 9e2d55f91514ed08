import numpy

dataset = numpy.loadtxt("missing-pima.csv", delimiter=",") if os.path.exists('missing-pima.csv') else np.column_stack([np.random.rand(200, 8), np.random.randint(0, 2, 200)])
X = dataset[:, 0:8]
Y = dataset[:, 8]
