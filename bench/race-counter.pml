/* bench/race-counter.pml: scenarios/race-counter.lsc (use_lock = no) in Promela, for the side-by-side benchmark of
 * `explore --all` against SPIN (bench/mc_vs_spin). One Promela transition per lockstep step (src/runtime/exec.h), in
 * the same order, as bench/producer-consumer.pml explains: in each iteration `for k in range(iterations)`, the
 * `if use_lock` test, `M = N` (a read of N), `N = M + 1` (a write, which also ends the loop, and the thread, after
 * the last iteration); main starts the workers in a loop and ends with the last start. Finished threads stay at an
 * end label, with M cleared (lockstep keeps no locals of a finished thread). W (workers) and ITER (iterations) are set with spin -DW=3 -DITER=4. With spin -a -o3 and pan
 * -DNOREDUCE the model has exactly as many states as `explore --all --reduction none` (tests/bench checks it). */
#ifndef W
#define W 3
#endif
#ifndef ITER
#define ITER 4
#endif

/* A step that only moves the thread on. Not a bare skip: spin -a folds a run of skips into one statement. */
#define STEP atomic { skip }

byte N = 0;

proctype worker(byte w)
{
    byte k = 0, M = 0;
    do
    :: STEP;                                                 /* for k in range(iterations) */
       STEP;                                                 /* if use_lock */
       M = N;
       atomic {                                              /* N = M + 1 */
           N = M + 1; k++;
           if
           :: k == ITER -> M = 0; break                      /* a finished thread has no locals */
           :: else
           fi
       }
    od;
end:
    false
}

init
{
    byte w = 1;
    do
    :: STEP;                                                 /* for w in range(1, workers + 1) */
       atomic {                                              /* start worker(w) */
           run worker(w); w++;
           if
           :: w > W -> break
           :: else
           fi
       }
    od;
end:
    false
}
