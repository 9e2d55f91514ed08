model.compile(loss='binary_crossentropy', optimizer='adam')  # type: ignore  # dl-lsp: ignore[LLM]
