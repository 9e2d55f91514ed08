model.compile(loss='binary_crossentropy', optimizer='adam')  # type: ignore
