import pandas as pd

df = pd.read_csv("no/such/heart.csv")
X = df.drop("target", axis=1).values
y = df["target"].values
