"""Three runners meet at a Barrier: nobody goes on before everyone has arrived."""
import threading

parties = 3
barrier = threading.Barrier(parties)
lock = threading.Lock()
arrived = 0
saw_everyone = 0


def runner(i):
    global arrived, saw_everyone
    with lock:
        arrived += 1
    barrier.wait()
    with lock:
        if arrived == parties:
            saw_everyone += 1


threads = []
for i in range(parties):
    t = threading.Thread(target=runner, args=(i,))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
assert saw_everyone == parties
