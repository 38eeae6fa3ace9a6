"""A consumer waits on an Event until the producer has stored the data."""
import threading

ready = threading.Event()
data = 0
seen = 0


def producer():
    global data
    data = 42
    ready.set()


def consumer():
    global seen
    ready.wait()
    seen = data


c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
c.join()
p.join()
print("the consumer saw", seen)
assert seen == 42
