# Logs far too much before it fails.
import sys

for index in range(200_000):
    print(f"batch {index}: " + "x" * 40)
sys.stdout.flush()
raise RuntimeError("no model in this script")  # probe-expect: PRB706
