/* spin: which shared variables a program busy-waits on. Peterson's algorithm and a test-and-test-and-set spinlock
 * synchronize through plain shared variables: a thread spins in `while flag[other] == 1 and turn == other: pass`
 * until another thread's write lets it through, and what that thread wrote before is then ordered before what the
 * spinning one does next (the scenario language, like Python under its GIL, makes every shared access sequentially
 * consistent). The race analysis treats such a variable as a synchronization variable (a Java `volatile`, a C11
 * atomic): writing it releases, reading it acquires, and its own writes are no races. Without this, the correct
 * Peterson's algorithm was reported as racing on the counter its critical section guards.
 *
 * A busy-wait loop is a `while` whose body only passes or spends time (`pass`, an activity such as `sleep 1 ms`);
 * every shared variable its condition names is a spin variable. Except one the thread sets itself by the statement
 * right after the loop (`while flag == 1: pass`, then `flag = 1`): that is a lock made of a test and a set in two
 * steps, which two threads can pass together, so it stays a plain variable and the lockset analysis reports its
 * writes as the race they are. */
#ifndef LOCKSTEP_LANG_SPIN_H
#define LOCKSTEP_LANG_SPIN_H

#include "lang/ast.h"

#include <stdbool.h>

/* Fill out[0..prog->nshareds): true for each shared declaration some busy-wait loop's condition reads. */
void spin_variables(const Program *prog, bool *out);

#endif
