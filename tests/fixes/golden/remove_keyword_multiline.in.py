from tensorflow.keras import layers, models

model = models.Sequential()
model.add(layers.Dense(
    64,
    activation='relu',
    kernel_regularizer=None,  # tried l2 too
    use_bias=True,
))
