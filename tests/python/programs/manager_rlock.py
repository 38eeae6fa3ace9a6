"""The notes' manager: two counters behind one RLock; changeAandB takes the lock and calls the other two methods,
which take it again. An RLock lets the thread that holds it take it again."""
import threading
import random
import time


class ABManager:
    def __init__(self):
        self.a = 1
        self.b = 2
        self.lock = threading.RLock()

    def changeA(self):
        with self.lock:
            print("Thread", threading.current_thread().name, "is changing A")
            self.a = self.a + 1

    def changeB(self):
        with self.lock:
            print("Thread", threading.current_thread().name, "is changing B")
            self.b = self.b + self.a

    def changeAandB(self):
        with self.lock:
            print("Thread", threading.current_thread().name, "is changing A and B")
            self.changeA()
            self.changeB()


def worker(managerAB):
    r = random.random()
    time.sleep(r)
    if 0.5 < r < 1.0:
        managerAB.changeAandB()
    elif 0.3 < r < 0.5:
        managerAB.changeA()
    else:
        managerAB.changeB()


if __name__ == "__main__":
    manager = ABManager()
    for i in range(4):
        t = threading.Thread(target=worker, args=(manager,))
        t.start()
    main_thread = threading.current_thread()
    for t in threading.enumerate():
        if t is not main_thread:
            t.join()
    print("a =", manager.a, "b =", manager.b)
