"""dl-lsp: a language server and checker for deep-learning code."""

__version__ = "0.1.0"
