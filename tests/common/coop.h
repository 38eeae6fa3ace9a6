/* coop: a cooperative run of a loaded scenario (the model checker's executor: serial, no pacing, every step taken by
 * rt_coop_step), started and ready to step, for the tests that drive one by hand. Links the runtime: test_coop_dep. */
#ifndef LOCKSTEP_TESTS_COOP_H
#define LOCKSTEP_TESTS_COOP_H

#include "loader.h"
#include "runtime/rt.h"

#include <stdbool.h>

/* A started cooperative run of l (restorable: it can save and restore its states); fails the test if it cannot be
 * made. The caller destroys it (rt_destroy). */
Rt *coop_run(const Loaded *l, bool restorable);

#endif
