# fixes: IDN
import numpy as np
from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras.preprocessing import image
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, MaxPooling2D, BatchNormalization, Flatten, Dense, Dropout

train_datagen = ImageDataGenerator(rescale=1. / 255, validation_split=0.2)
train_gen = train_datagen.flow_from_directory('fruits/', target_size=(100, 100), batch_size=64,
                                              class_mode='categorical', subset='training')
val_gen = train_datagen.flow_from_directory('fruits/', target_size=(100, 100), batch_size=64,
                                            class_mode='categorical', subset='validation')

model = Sequential([
    Conv2D(32, (3, 3), activation='relu', input_shape=(100, 100, 3)),
    BatchNormalization(),
    MaxPooling2D(2, 2),
    Conv2D(64, (3, 3), activation='relu'),
    BatchNormalization(),
    MaxPooling2D(2, 2),
    Conv2D(128, (3, 3), activation='relu'),
    BatchNormalization(),
    MaxPooling2D(2, 2),
    Flatten(),
    Dense(256, activation='relu'),
    Dropout(0.5),
    Dense(6, activation='softmax'),
])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
model.fit(train_gen, epochs=15, validation_data=val_gen)

labels = {v: k for k, v in train_gen.class_indices.items()}

img = image.load_img('test/banana_01.jpg', target_size=(100, 100))
x = image.img_to_array(img)
x = x.reshape((1,) + x.shape) / 255.
pred = model.predict(x)
print(labels[int(np.argmax(pred))], pred)
