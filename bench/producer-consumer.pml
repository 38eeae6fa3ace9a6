/* bench/producer-consumer.pml: scenarios/producer-consumer.lsc in Promela, for the side-by-side benchmark of
 * `explore --all` against SPIN (bench/mc_vs_spin) and the check that both give the same verdict (tests/bench).
 *
 * One Promela transition per lockstep step (src/runtime/exec.h): every step is one statement or one atomic block, in
 * the scenario's order. A `for` iteration, a `while True`, an `if` test, a `with` entry and exit, an activity (make,
 * process), a method call and each shared read or write is a step; a loop running out is not (lockstep leaves the
 * loop within the step before), so the last step of an iteration also decides whether the loop goes on, and a
 * thread's last step also ends it. `produced += 1` is two steps, a read into a temporary and a write, as lockstep
 * splits it; the temporary is cleared by the write (lockstep forgets it at the next statement).
 *
 * The lock and the semaphores behave as src/runtime/sync.c in a serial run: a thread that cannot take one queues in
 * arrival order and blocks; a release hands the lock (or one unit of the semaphore) straight to the first in line and
 * wakes it. A woken thread does not take a step to wake up: its next statement is simply enabled again (the RUNNING
 * guard). Joins work the same way: a finishing thread wakes main if main waits for it.
 *
 * A finished thread stays at an `end` label instead of terminating, as a finished lockstep thread stays in the run
 * (a terminating Promela process would add a step to remove itself). A deadlock is then an invalid end state; the
 * invariant and the two expectations are assertions (the expectations checked by the last thread to finish).
 * Parameters as in the scenario: spin -DPRODUCERS=1 -DCONSUMERS=2 -DITEMS=5 -DBOUNDED=0 -DCAPACITY=2 (the defaults).
 *
 * Compiled with spin -a -o3 (without statement merging, which here doubles the states: 166,459 against 86,947 at
 * the defaults) and pan -DNOREDUCE, the model has exactly as many states as `explore --all --reduction none`
 * at every size compared (1 to 2 producers and consumers, 1 to 2 items, bounded or not; 86,947 at the defaults),
 * so the two searches cover the same graph. It is still a second description of the program, not the program: a
 * change to the scenario or to how sync.c hands objects over must be made here too (tests/bench checks the counts). */
#ifndef PRODUCERS
#define PRODUCERS 1
#endif
#ifndef CONSUMERS
#define CONSUMERS 2
#endif
#ifndef ITEMS
#define ITEMS 5
#endif
#ifndef BOUNDED
#define BOUNDED 0
#endif
#ifndef CAPACITY
#define CAPACITY 2
#endif
/* Not a parameter of the scenario: how many end markers main adds (1 to CONSUMERS). One per consumer, as the
 * scenario does; fewer leave a consumer waiting on filled forever, a deadlock (tests/bench: SPIN and lockstep both
 * find it). */
#ifndef MARKERS
#define MARKERS CONSUMERS
#endif

#define THREADS (1 + PRODUCERS + CONSUMERS)       /* main is thread (and process) 0 */
#define TOTAL (PRODUCERS * ITEMS)                 /* the items made, and the items consumed */
#define FREE 255                                  /* the owner of a lock nobody holds */

chan buffer = [TOTAL + CONSUMERS] of { short };   /* items, then one end marker (-1) per consumer */
byte buffer_lock = FREE;                          /* its owner */
chan buffer_lock_waiters = [THREADS] of { byte };
byte filled = 0;
chan filled_waiters = [THREADS] of { byte };
byte slots = CAPACITY;
chan slots_waiters = [THREADS] of { byte };
byte produced = 0;
byte consumed = 0;

bit blocked[THREADS];                             /* waiting in a queue above, or main in a join */
bit done[THREADS];
byte joining = FREE;                              /* the thread main waits for in a join */
byte live = 1;                                    /* threads started and not yet finished */
byte woken;                                       /* scratch: always 0 between steps */

#define RUNNING (blocked[_pid] == 0)
/* A step that only moves the thread on (an activity, a test of a constant). Not a bare skip: spin -a folds a run of
 * skips into one statement. */
#define STEP atomic { skip }

#define LOCK_ACQUIRE(l) \
    if \
    :: l == FREE -> l = _pid \
    :: else -> l##_waiters!_pid; blocked[_pid] = 1 \
    fi

#define LOCK_RELEASE(l) \
    if \
    :: len(l##_waiters) > 0 -> l##_waiters?l; blocked[l] = 0 \
    :: else -> l = FREE \
    fi

#define SEM_ACQUIRE(s) \
    if \
    :: s > 0 -> s-- \
    :: else -> s##_waiters!_pid; blocked[_pid] = 1 \
    fi

#define SEM_RELEASE(s) \
    if \
    :: len(s##_waiters) > 0 -> s##_waiters?woken; blocked[woken] = 0; woken = 0 \
    :: else -> s++ \
    fi

/* The end of a thread, within its last step: wake main if it joins this thread; the last one checks the ends. */
#define FINISH \
    done[_pid] = 1; \
    if \
    :: joining == _pid -> joining = FREE; blocked[0] = 0 \
    :: else \
    fi; \
    live--; \
    if \
    :: live == 0 -> assert(produced == TOTAL && consumed == TOTAL) \
    :: else \
    fi

proctype producer(byte p)
{
    byte k = 0, n = 0;
    do
    :: STEP;                                                 /* for k in range(items) */
       STEP;                                                 /* make 100..300 ms */
       if                                                    /* if bounded */
       :: BOUNDED -> atomic { SEM_ACQUIRE(slots) }           /* slots.acquire() */
       :: else
       fi;
       atomic { RUNNING -> LOCK_ACQUIRE(buffer_lock) };      /* with buffer_lock */
       atomic { RUNNING -> buffer!p * 100 + k };             /* buffer.append(p * 100 + k) */
       n = produced;                                         /* produced += 1: the read */
       atomic { produced = n + 1; n = 0 };                   /* produced += 1: the write */
       atomic { LOCK_RELEASE(buffer_lock) };                 /* (end of with) */
       atomic {                                              /* filled.release() */
           SEM_RELEASE(filled);
           k++;
           if
           :: k == ITEMS -> FINISH; break
           :: else
           fi
       }
    od;
end:
    false
}

proctype consumer(byte c)
{
    short item = 0;
    byte n = 0;
    do
    :: STEP;                                                 /* while True */
       atomic { SEM_ACQUIRE(filled) };                       /* filled.acquire() */
       atomic { RUNNING -> LOCK_ACQUIRE(buffer_lock) };      /* with buffer_lock */
       atomic { RUNNING -> buffer?item };                    /* item = buffer.popleft() */
       if                                                    /* if item >= 0 */
       :: item >= 0 ->
          n = consumed;                                      /* consumed += 1: the read */
          atomic { consumed = n + 1; n = 0; assert(consumed <= produced) } /* the write */
       :: else
       fi;
       atomic { LOCK_RELEASE(buffer_lock) };                 /* (end of with) */
       if                                                    /* if bounded */
       :: BOUNDED -> atomic { SEM_RELEASE(slots) }           /* slots.release() */
       :: else
       fi;
       if                                                    /* if item < 0 */
       :: item < 0 -> atomic { FINISH; break }               /* break */
       :: else
       fi;
       STEP                                                  /* process 100..300 ms */
    od;
end:
    false
}

init
{
    byte p = 1, c = 1, t = 1, i = 0;
    STEP;                                                    /* makers = [] */
    do
    :: STEP;                                                 /* for p in range(1, producers + 1) */
       atomic {                                              /* makers.append(start producer(p)) */
           run producer(p); live++; p++;
           if
           :: p > PRODUCERS -> break
           :: else
           fi
       }
    od;
    do
    :: STEP;                                                 /* for c in range(1, consumers + 1) */
       atomic {                                              /* start consumer(c) */
           run consumer(c); live++; c++;
           if
           :: c > CONSUMERS -> break
           :: else
           fi
       }
    od;
    do
    :: atomic { RUNNING -> skip };                           /* for t in makers */
       atomic {                                              /* t.join() */
           if
           :: done[t] -> skip
           :: else -> joining = t; blocked[_pid] = 1
           fi;
           t++;
           if
           :: t > PRODUCERS -> break
           :: else
           fi
       }
    od;
    do
    :: atomic { RUNNING -> skip };                           /* for c in range(consumers) */
       if                                                    /* if bounded */
       :: BOUNDED -> atomic { SEM_ACQUIRE(slots) }           /* slots.acquire() */
       :: else
       fi;
       atomic { RUNNING -> LOCK_ACQUIRE(buffer_lock) };      /* with buffer_lock */
       atomic { RUNNING -> buffer!-1 };                      /* buffer.append(-1) */
       atomic { LOCK_RELEASE(buffer_lock) };                 /* (end of with) */
       atomic {                                              /* filled.release() */
           SEM_RELEASE(filled);
           i++;
           if
           :: i == MARKERS -> FINISH; break
           :: else
           fi
       }
    od;
end:
    false
}
