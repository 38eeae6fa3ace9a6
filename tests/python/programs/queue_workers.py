"""The course notes' Queue example: three daemon workers serve a queue for ever; main puts the jobs and waits in
q.join() until every job is done. The program ends with main, as the workers are daemons."""
import queue
import threading

jobs = 5
q = queue.Queue()
done_lock = threading.Lock()
done = 0


def worker():
    global done
    while True:
        item = q.get()
        with done_lock:
            done += 1
        q.task_done()


for w in range(3):
    threading.Thread(target=worker, daemon=True).start()
for item in range(jobs):
    q.put(item)
q.join()
print("done", done)
assert done == jobs
