# Données: images 28×28, étiquettes entières
x_entraînement, y_entraînement = charger("données/")
historique = model.fit(x_entraînement, y_entraînement, epochs=5, batch_size=32)  # très gros lot
