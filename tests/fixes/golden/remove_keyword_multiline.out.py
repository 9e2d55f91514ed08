from tensorflow.keras import layers, models

model = models.Sequential()
model.add(layers.Dense(
    64,
    activation='relu',
    use_bias=True,
))
