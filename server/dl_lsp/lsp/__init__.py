"""The language server (``dl-lsp serve``): pygls wiring over the analysis engine, one module per feature."""
