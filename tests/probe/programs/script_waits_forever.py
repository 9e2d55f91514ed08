# Waits for a file that never appears.
import os
import time

while not os.path.exists("/nonexistent/dataset.ready"):
    time.sleep(0.2)  # probe-expect: PRB707
