"""The race on N again, with the read and the write of N inside one lock."""
from threading import Thread, Lock

N = 0
lock = Lock()


def worker():
    global N
    for k in range(3):
        lock.acquire()  # enter the safe region
        M = N
        N = M + 1
        lock.release()  # leave the safe region


threads = []
for i in range(5):
    t = Thread(target=worker)
    t.start()
    threads.append(t)

# wait until every worker is done
for t in threads:
    t.join()

print(f"Value of N is: {N}")
assert N == 15
