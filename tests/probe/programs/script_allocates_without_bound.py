# Caches ever more data in memory.
cache = []
while True:
    cache.append(bytearray(64 * 1024 * 1024))  # probe-expect: PRB708
