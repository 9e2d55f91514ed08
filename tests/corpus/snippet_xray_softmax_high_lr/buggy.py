# case: pneumonia X-ray snippet without imports or data loading, accuracy frozen at 0.74 from the first epoch, softmax on one unit and SGD learning rate 0.1 (cf. SO 60261103); framework: keras; problem: binary; input: color
IMG_SIZE = 128

model = Sequential()
model.add(Conv2D(32, (3, 3), input_shape=(IMG_SIZE, IMG_SIZE, 3), activation='relu'))  # expect: MNL
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Conv2D(64, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Conv2D(128, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(128, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(1, activation='softmax'))  # expect: LLM

model.compile(loss='binary_crossentropy',
              optimizer=SGD(lr=0.1, momentum=0.9),  # expect: LOB
              metrics=['accuracy'])

history = model.fit(X_train, y_train,
                    batch_size=32,
                    epochs=20,
                    validation_data=(X_val, y_val))

# Epoch 1/20 - loss: 4.0963 - acc: 0.7431 - val_loss: 4.0880 - val_acc: 0.7436
# ... same numbers for every epoch
preds = model.predict(X_test)
print(np.unique(preds))
print(confusion_matrix(y_test, preds.round()))
