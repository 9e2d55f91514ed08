# Downloads its data set at start-up: the probe runs without network access.
import urllib.request

urllib.request.urlretrieve("https://example.com/datasets/mnist.npz", "mnist.npz")  # probe-expect: PRB709
