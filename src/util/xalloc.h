/* xalloc: allocation wrappers that end the program on out-of-memory.
 *
 * Running out of memory is not something lockstep can recover from in a useful way, so every allocation goes
 * through these wrappers and the rest of the code never checks for NULL from malloc (xtry_calloc, for the one thing a
 * run can do without, is the exception). The program then says so in one line and exits with XALLOC_EXIT_STATUS
 * (documented in docs/cli.md), not with a crash. Between arena_enter and arena_leave (util/arena.h) they allocate in
 * that arena instead of the C heap. */
#ifndef LOCKSTEP_XALLOC_H
#define LOCKSTEP_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

enum { XALLOC_EXIT_STATUS = 5 }; /* the exit status after running out of memory */

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
/* xcalloc, but NULL instead of the exit when the system refuses the memory: for what a run can be refused without
 * ending (a new scenario thread's interpreter: the run then refuses that thread, as it does when the system refuses its
 * stack). In an arena it allocates there as xcalloc does, and running out of the arena's reserve still ends the
 * program. */
void *xtry_calloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* free(), for memory that may belong to the current arena (util/arena.h): code that a cooperative run executes frees
 * with this. */
void xfree(void *ptr);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a freshly allocated string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0), nonnull(1))); /* ap is used up */

/* Memory read at random over many megabytes (a visited set) or cut into many blocks (util/slab.c): `size` zeroed
 * bytes, never in an arena, on cache-line boundaries; from 2 MiB up, a mapping on huge-page boundaries with the advice
 * to back it with huge pages (on small pages every read of a table of many megabytes also misses the TLB), of which
 * only the touched pages cost memory. Free with xfree_table(p, size). */
void *xalloc_table(size_t size);
void xfree_table(void *p, size_t size);

/* Grow *items (of element size elem) so that it holds at least need elements; *cap is updated. */
void xgrow(void **items, size_t *cap, size_t need, size_t elem);
/* xgrow for a table (xalloc_table): the new elements are zeroed; free it with xfree_table(*items, *cap * elem). A
 * record of millions of elements grown on small pages took a page fault every 4 KiB (and a TLB miss on every read at
 * random over it). */
void xgrow_table(void **items, size_t *cap, size_t need, size_t elem);

#endif
