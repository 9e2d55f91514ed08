from transformers import BertTokenizer

# dl-lsp repro: A9 pretrained handle
MODEL_NAME = 'bert-base-uncased'
tokenizer = BertTokenizer.from_pretrained(MODEL_NAME)
