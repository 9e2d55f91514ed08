# BERT fine-tuning: how to get the sentence embedding?
import torch
from transformers import BertTokenizer, BertModel

tokenizer = BertTokenizer.from_pretrained(MODEL_NAME)
model = BertModel.from_pretrained(MODEL_NAME)
inputs = tokenizer("Hello, my dog is cute", return_tensors="pt")
with torch.no_grad():
    outputs = model(**inputs)
print(outputs.last_hidden_state.shape)
