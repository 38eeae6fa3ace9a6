"""A consumer waits on a Condition while there is nothing to take; the producer notifies it."""
import threading

items = 0
taken = 0
cond = threading.Condition()


def consumer():
    global items, taken
    for k in range(3):
        with cond:
            while items == 0:
                cond.wait()
            items -= 1
            taken += 1


def producer():
    global items
    for k in range(3):
        with cond:
            items += 1
            cond.notify()


c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
c.join()
p.join()
print("taken:", taken, "left:", items)
assert taken == 3
