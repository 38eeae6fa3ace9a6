# race_counter.py: the course's race on a counter in CPython threads, for the interpreter benchmark. Each worker copies
# the shared N into a local and writes it back plus one, ITERATIONS times. Prints "N EXPECTED".
#   python3 race_counter.py [ITERATIONS [WORKERS]]
import sys
from threading import Thread

ITERATIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
WORKERS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
N = 0


def worker():
    global N
    for _ in range(ITERATIONS):
        M = N
        N = M + 1


threads = [Thread(target=worker) for _ in range(WORKERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(N, ITERATIONS * WORKERS)
