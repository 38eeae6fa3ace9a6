"""Five philosophers, five chopsticks: everyone takes the left chopstick first."""
import random
import time
from threading import Thread, Lock

rounds = 3
chopsticks = [Lock() for _ in range(5)]
meals = 0
count_lock = Lock()


def philosopher(i):
    global meals
    left, right = i, (i + 1) % 5
    for r in range(rounds):
        time.sleep(random.uniform(0.001, 0.01))  # think
        with chopsticks[left]:
            with chopsticks[right]:
                with count_lock:
                    meals += 1


threads = [Thread(target=philosopher, args=(i,)) for i in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("meals eaten:", meals)
