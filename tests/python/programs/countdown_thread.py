"""The slides' thread class: run() counts its own attribute down."""
import threading
import time

total = 0
lock = threading.Lock()


class CountdownThread(threading.Thread):
    def __init__(self, count):
        threading.Thread.__init__(self)
        self.count = count

    def run(self):
        global total
        while self.count > 0:
            print("Counting down", self.count)
            with lock:
                total += self.count
            self.count -= 1
            time.sleep(0.01)


t1 = CountdownThread(3)
t1.start()
t2 = CountdownThread(4)
t2.start()
t1.join()
t2.join()
assert total == 16
