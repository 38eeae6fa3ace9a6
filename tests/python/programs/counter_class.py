"""A counter object shared by threads: the instance and a lock are passed to each thread as arguments."""
import threading


class Counter:
    def __init__(self, start):
        self.value = start
        self.lock = threading.Lock()

    def increment(self):
        with self.lock:
            self.value = self.value + 1


def work(counter, times, done_lock):
    global finished
    for k in range(times):
        counter.increment()
    with done_lock:
        finished += 1


finished = 0
done = threading.Lock()
counter = Counter(10)
threads = [threading.Thread(target=work, args=(counter, 3, done)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter:", counter.value)
assert counter.value == 22
assert finished == 4
