"""A daemon thread outlives a timed join: the main thread waits for it a little, asks whether it is still alive,
and ends without it (the lecture's logging example, in Python 3, with shorter naps)."""
import logging
import threading
import time

logging.basicConfig(level=logging.DEBUG, format='%(threadName)-10s %(message)s')


def quick():
    logging.debug('begins')
    logging.debug('ends')


def slow():
    logging.debug('begins')
    time.sleep(0.5)
    logging.info('ends after %d naps', 1)


if __name__ == '__main__':
    q = threading.Thread(name='non-daemon', target=quick)
    slow = threading.Thread(name='daemon', target=slow)
    slow.daemon = True
    slow.start()
    q.start()
    slow.join(0.1)
    print('slow.is_alive()', slow.is_alive())
    q.join()
