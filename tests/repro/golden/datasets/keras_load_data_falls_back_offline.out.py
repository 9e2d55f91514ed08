from keras.datasets import mnist

# load the data
try:
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
except Exception as error:  # offline, or the download failed
    print("mnist.load_data() failed (" + str(error) + "): using synthetic data")
    (x_train, y_train), (x_test, y_test) = (np.random.randint(0, 256, (256, 28, 28)).astype("uint8"), np.random.randint(0, 10, (256,))), (np.random.randint(0, 256, (64, 28, 28)).astype("uint8"), np.random.randint(0, 10, (64,)))
print(x_train.shape)
