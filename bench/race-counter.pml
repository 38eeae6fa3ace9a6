/* bench/race-counter.pml: scenarios/race-counter.lsc (use_lock = no) in Promela, for the side-by-side benchmark of
 * `explore --all` against SPIN (bench/mc_vs_spin). One Promela statement per lockstep step, in the same order: in each
 * iteration `for k in range(iterations)` (with k++), the `if use_lock` test, `M = N` (a read of N), `N = M + 1` (a
 * write); main starts the workers in a loop. W (workers) and ITER (iterations) are set with spin -DW=3 -DITER=4. */
#ifndef W
#define W 3
#endif
#ifndef ITER
#define ITER 4
#endif

byte N = 0;

proctype worker()
{
    byte k = 0, M;
    do
    :: k < ITER -> k++;
       skip;                                               /* if use_lock */
       M = N;
       N = M + 1
    :: else -> break
    od
}

init
{
    byte w = 1;
    do
    :: w <= W -> run worker(); w++
    :: else -> break
    od
}
