# Exits when its command-line arguments are missing.
import sys

if len(sys.argv) < 3:
    print("usage: train.py DATA EPOCHS")
    sys.exit(2)  # probe-expect: PRB709
