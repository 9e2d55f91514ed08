import numpy as np

# dl-lsp repro: A7 stand-ins
def preprocess(*args, **kwargs):
    # The question does not show `preprocess`: this stand-in returns its first argument.
    return args[0] if args else None
data = preprocess(np.arange(6))
print(data)
