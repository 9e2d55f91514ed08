from keras.layers import Conv2D

layer = Conv2D(32, (3, 3), input_shape=(img_rows, img_cols, 1))
