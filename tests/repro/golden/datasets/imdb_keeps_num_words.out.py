from keras.datasets import imdb

try:
    (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=5000)
except Exception as error:  # offline, or the download failed
    print("imdb.load_data() failed (" + str(error) + "): using synthetic data")
    (x_train, y_train), (x_test, y_test) = (np.array([list(np.random.randint(1, 5000, 80)) for _ in range(256)], dtype=object), np.random.randint(0, 2, (256,))), (np.array([list(np.random.randint(1, 5000, 80)) for _ in range(64)], dtype=object), np.random.randint(0, 2, (64,)))
