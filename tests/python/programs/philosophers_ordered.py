"""Five philosophers, five chopsticks: each takes the lower-numbered chopstick first (resource ordering)."""
import random
import time
from threading import Thread, Lock

rounds = 3
chopsticks = [Lock() for _ in range(5)]
meals = 0
count_lock = Lock()


def philosopher(i):
    global meals
    first, last = min(i, (i + 1) % 5), max(i, (i + 1) % 5)
    for r in range(rounds):
        time.sleep(random.uniform(0.001, 0.01))  # think
        with chopsticks[first]:
            with chopsticks[last]:
                with count_lock:
                    meals += 1


threads = [Thread(target=philosopher, args=(i,)) for i in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("meals eaten:", meals)
assert meals == 5 * rounds
