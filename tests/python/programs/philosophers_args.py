"""The notes' philosophers, each given its two chopsticks as arguments: left first, so all can wait in a circle."""
from random import randint
from threading import Thread, Lock
from time import sleep

chopsticks = [Lock() for _ in range(5)]
meals = 0
count_lock = Lock()


def eat(i, first, last, counter_lock):
    global meals
    for r in range(2):
        print("Philosopher %d waits for first chopstick" % i)
        with first:
            print("Philosopher %d waits for second chopstick" % i)
            with last:
                sleep(randint(0, 2))
                with counter_lock:
                    meals += 1


threads = [Thread(target=eat, args=(i, chopsticks[i], chopsticks[(i + 1) % 5], count_lock)) for i in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
