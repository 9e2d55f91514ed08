# case: posted snippet (no imports, data undefined, extra closing bracket) for a spam detector whose accuracy is stuck, two softmax units with binary_crossentropy; framework: keras; problem: binary; input: tabular
# X_train, X_test are TF-IDF matrices I built earlier, y is 0/1 spam labels

y_train = to_categorical(y_train, num_classes=2)
y_test = to_categorical(y_test, num_classes=2)

model = Sequential()
model.add(Dense(64, input_dim=X_train.shape[1], activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(32, activation='relu')))  # expect: SNP001
model.add(Dropout(0.5))
model.add(Dense(2, activation='softmax'))

model.compile(loss='binary_crossentropy',  # expect: LLM
              optimizer='adam',
              metrics=['accuracy'])

model.fit(X_train, y_train,
          epochs=10,
          batch_size=64,
          validation_data=(X_test, y_test))

score = model.evaluate(X_test, y_test, verbose=0)
print('Test loss:', score[0])
print('Test accuracy:', score[1])

# every prediction comes out as [0.5, 0.5] or the same class
preds = model.predict(X_test)
print(preds[:10])
print(preds.argmax(axis=1)[:50])
