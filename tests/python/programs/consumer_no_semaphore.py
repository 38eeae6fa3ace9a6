"""The producer-consumer program without its semaphore: nothing makes a consumer wait for an item."""
from collections import deque
import threading
import time

items = 4
buffer = deque()
buffer_lock = threading.Lock()
consumed = 0


def producer():
    for k in range(items):
        time.sleep(0.01)
        with buffer_lock:
            buffer.append(k)


def consumer():
    global consumed
    for k in range(items // 2):
        with buffer_lock:
            x = buffer.popleft()  # IndexError when the deque is still empty
            consumed += 1


p = threading.Thread(target=producer)
c1 = threading.Thread(target=consumer)
c2 = threading.Thread(target=consumer)
p.start()
c1.start()
c2.start()
p.join()
c1.join()
c2.join()
