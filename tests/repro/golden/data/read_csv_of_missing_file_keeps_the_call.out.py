import pandas as pd

df = pd.read_csv("no/such/heart.csv") if os.path.exists('no/such/heart.csv') else pd.DataFrame({'target': np.random.randint(0, 2, 200), 'feature_0': np.random.rand(200), 'feature_1': np.random.rand(200), 'feature_2': np.random.rand(200), 'feature_3': np.random.rand(200), 'feature_4': np.random.rand(200), 'feature_5': np.random.rand(200), 'feature_6': np.random.rand(200), 'feature_7': np.random.rand(200)})
X = df.drop("target", axis=1).values
y = df["target"].values
