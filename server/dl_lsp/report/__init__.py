"""Running ``dl-lsp check`` over files and writing its results as text, JSON or SARIF."""
