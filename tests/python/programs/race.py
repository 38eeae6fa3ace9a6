"""Two threads each add 1 to N a few times, through a local copy M: the classic lost update."""
import threading

N = 0
iterations = 3  # lockstep: param iterations = 3 in 1..1000000 "additions per thread"


def worker():
    global N
    for k in range(iterations):
        M = N
        N = M + 1


threads = []
for i in range(2):
    t = threading.Thread(target=worker)
    t.start()
    threads.append(t)

for t in threads:
    t.join()

print(f"Value of N is: {N}")
assert N == 2 * iterations, "an update was lost"
