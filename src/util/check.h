/* check: abort on the impossible. A pthread call that fails can only mean a bug in lockstep, so it aborts with the
 * call and the error instead of letting the program limp on. */
#ifndef LOCKSTEP_CHECK_H
#define LOCKSTEP_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_PTHREAD(call)                                                                                            \
    do {                                                                                                               \
        int check_rc_ = (call);                                                                                        \
        if (check_rc_ != 0) {                                                                                          \
            fprintf(stderr, "lockstep: %s:%d: %s failed: %s\n", __FILE__, __LINE__, #call, strerror(check_rc_));       \
            abort();                                                                                                   \
        }                                                                                                              \
    } while (0)

#endif
