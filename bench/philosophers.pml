/* bench/philosophers.pml: scenarios/dining-philosophers.lsc in Promela, for the side-by-side benchmark of
 * `explore --all` against SPIN (tools/bench). One Promela statement per lockstep step, in the same order: the three
 * assignments and the strategy test before the loop; in the loop `while True`, think, the waiter test, the two
 * acquisitions (blocking, atomic test-and-set), eat, the two releases. Thinking and eating take no time in either
 * model (the explorer ignores durations). N (number of philosophers) and ORDERED (1: lower chopstick first) are set
 * with spin -DN=5 -DORDERED=1. A deadlock is an invalid end state. */
#ifndef N
#define N 5
#endif
#ifndef ORDERED
#define ORDERED 0
#endif

bit chopstick[N];

proctype philosopher(byte i)
{
    byte left, right, first, second;
    left = i;
    right = (i + 1) % N;
    first = left; second = right;
    if
    :: ORDERED -> first = (left < right -> left : right); second = (left < right -> right : left)
    :: else -> skip
    fi;
    do
    :: skip;                                               /* while True */
       skip;                                               /* think */
       skip;                                               /* if strategy == waiter */
       atomic { chopstick[first] == 0 -> chopstick[first] = 1 };
       atomic { chopstick[second] == 0 -> chopstick[second] = 1 };
       skip;                                               /* eat */
       chopstick[second] = 0;
       chopstick[first] = 0;
       skip                                                /* if strategy == waiter */
    od
}

init
{
    byte i = 0;
    do
    :: i < N -> run philosopher(i); i++
    :: else -> break
    od
}
