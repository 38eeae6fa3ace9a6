/* bench/philosophers.pml: scenarios/dining-philosophers.lsc (strategies naive and ordered) in Promela, for the
 * side-by-side benchmark of `explore --all` against SPIN (bench/mc_vs_spin). One Promela transition per lockstep step
 * (src/runtime/exec.h), in the same order, as bench/producer-consumer.pml explains: the three assignments and the
 * strategy test before the loop (and the ordered strategy's assignment); in the loop `while True`, think, the waiter
 * test, the `with` entry of the first chopstick, reach, the entry of the second, eat, the two `with` exits and the
 * waiter test. A chopstick is a lock as src/runtime/sync.c makes it: a philosopher who finds it taken queues and
 * blocks, and the release hands it straight to the first in line (no step to wake up: the RUNNING guard). Main's
 * last step, the last start, ends it: it stays at an end label. Activities take no time in either model (the
 * explorer ignores durations). N and ORDERED (1: lower chopstick first) are set with spin -DN=5 -DORDERED=1. A
 * deadlock is an invalid end state. With spin -a -o3 and pan -DNOREDUCE the model has exactly as many states as
 * `explore --all --reduction none` (tests/bench checks it at n = 2; it was compared up to n = 3). */
#ifndef N
#define N 5
#endif
#ifndef ORDERED
#define ORDERED 0
#endif

#define FREE 255                                  /* the owner of a chopstick nobody holds */

byte chopstick[N] = FREE;                         /* owners */
chan waiters[N] = [N] of { byte };
bit blocked[N + 1];                               /* main is process 0, philosopher i process i + 1 */

#define RUNNING (blocked[_pid] == 0)
/* A step that only moves the thread on. Not a bare skip: spin -a folds a run of skips into one statement. */
#define STEP atomic { skip }

#define TAKE(c) \
    if \
    :: chopstick[c] == FREE -> chopstick[c] = _pid \
    :: else -> waiters[c]!_pid; blocked[_pid] = 1 \
    fi

#define PUT_DOWN(c) \
    if \
    :: len(waiters[c]) > 0 -> waiters[c]?chopstick[c]; blocked[chopstick[c]] = 0 \
    :: else -> chopstick[c] = FREE \
    fi

proctype philosopher(byte i)
{
    byte left, right, first, second;
    left = i;
    right = (i + 1) % N;
    atomic { first = left; second = right };
    if                                                       /* if strategy == ordered */
    :: ORDERED -> atomic {                                   /* first, second = min(...), max(...) */
           first = (left < right -> left : right); second = (left < right -> right : left)
       }
    :: else
    fi;
    do
    :: STEP;                                                 /* while True */
       STEP;                                                 /* think */
       STEP;                                                 /* if strategy == waiter */
       atomic { TAKE(first) };                               /* with chopstick[first] */
       atomic { RUNNING -> skip };                           /* reach */
       atomic { RUNNING -> TAKE(second) };                   /* with chopstick[second] */
       atomic { RUNNING -> skip };                           /* eat */
       atomic { PUT_DOWN(second) };                          /* (end of with) */
       atomic { PUT_DOWN(first) };                           /* (end of with) */
       STEP                                                  /* if strategy == waiter */
    od
}

init
{
    byte i = 0;
    do
    :: STEP;                                                 /* for i in range(n) */
       atomic {                                              /* start philosopher(i) */
           run philosopher(i); i++;
           if
           :: i == N -> break
           :: else
           fi
       }
    od;
end:
    false
}
