/* memroom: how much more memory this process may take before the system refuses it or kills it: the least of the
 * memory the kernel says is available (MemAvailable), what the process's control group (cgroup v2 memory.max) still
 * allows, and what a limit on its address space (ulimit -v, RLIMIT_AS) still leaves. The model checker sizes its
 * memory budget from it, so that a large search ends with what it found instead of taking the window down with it
 * (an "out of memory" exit, or the kernel's OOM killer). Linux files only; what cannot be read does not limit. */
#ifndef LOCKSTEP_UTIL_MEMROOM_H
#define LOCKSTEP_UTIL_MEMROOM_H

#include <stddef.h>

/* Bytes this process may still allocate, as far as the system says (SIZE_MAX: nothing says). */
size_t memroom_free_bytes(void);
/* Bytes of address space a limit on it (RLIMIT_AS) still leaves, SIZE_MAX without one: what reserving addresses
 * (util/arena.h) must fit in, even where the pages are never touched. */
size_t memroom_address_bytes(void);

#endif
