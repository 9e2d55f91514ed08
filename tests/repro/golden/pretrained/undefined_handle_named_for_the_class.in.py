from transformers import BertTokenizer

tokenizer = BertTokenizer.from_pretrained(MODEL_NAME)
