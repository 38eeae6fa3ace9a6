"""One producer and two consumers share a deque. A semaphore counts the items, a lock guards the deque."""
from collections import deque
import threading
import time

items = 6
buffer = deque()
available = threading.Semaphore(value=0)
buffer_lock = threading.Lock()
consumed = 0


def producer():
    for k in range(items):
        time.sleep(0.01)  # make an item
        with buffer_lock:
            buffer.append(k)
        available.release()  # one more item to take


def consumer():
    global consumed
    for k in range(items // 2):
        available.acquire()  # wait for an item
        with buffer_lock:
            x = buffer.popleft()
            consumed += 1


p = threading.Thread(target=producer)
consumers = [threading.Thread(target=consumer) for c in range(2)]
p.start()
for c in consumers:
    c.start()
p.join()
for c in consumers:
    c.join()
print("consumed", consumed, "items")
assert consumed == items
