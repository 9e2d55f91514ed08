from keras.layers import Conv2D

# dl-lsp repro: A3 hyperparameters
img_cols = 28
img_rows = 28
layer = Conv2D(32, (3, 3), input_shape=(img_rows, img_cols, 1))
