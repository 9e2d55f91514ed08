# fixes: MRD
from keras.preprocessing.image import ImageDataGenerator
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Dropout, Flatten, Dense
from keras.optimizers import Adam

IMG_SIZE = 64
train_dir = 'flowers/train'
val_dir = 'flowers/val'

datagen = ImageDataGenerator(rescale=1. / 255, rotation_range=20, horizontal_flip=True)
val_datagen = ImageDataGenerator(rescale=1. / 255)

train_gen = datagen.flow_from_directory(train_dir, target_size=(IMG_SIZE, IMG_SIZE),
                                        batch_size=64, class_mode='categorical')
val_gen = val_datagen.flow_from_directory(val_dir, target_size=(IMG_SIZE, IMG_SIZE),
                                          batch_size=64, class_mode='categorical')

model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(IMG_SIZE, IMG_SIZE, 3)))  # expect: MNL
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Conv2D(64, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Conv2D(128, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(128, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(5, activation='softmax'))

model.compile(optimizer=Adam(lr=1e-3), loss='categorical_crossentropy', metrics=['accuracy'])

history = model.fit_generator(train_gen,
                              steps_per_epoch=train_gen.samples // 64,
                              epochs=30,
                              validation_data=val_gen,
                              validation_steps=val_gen.samples // 64)
print(history.history['val_acc'][-1])
