"""Threads with arguments, a lock as a context manager, and join to wait for all of them."""
import threading

total = 0
lock = threading.Lock()


def add(amount):
    global total
    with lock:
        total = total + amount
    print(threading.current_thread().name, "added", amount)


if __name__ == "__main__":
    threads = [threading.Thread(target=add, args=(i,)) for i in range(1, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("total is", total)
    assert total == 15
