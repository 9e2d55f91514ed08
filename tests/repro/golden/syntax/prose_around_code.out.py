# dl-lsp repro: could not repair: I get an error when I run this:

x = [1, 2, 3]
print(x[3])

# dl-lsp repro: could not repair: Any idea why?
