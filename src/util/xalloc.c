/* xalloc: allocation wrappers that end the program on out-of-memory (see xalloc.h). */
#include "xalloc.h"

#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void oom(size_t size)
{
    fprintf(stderr, "lockstep: out of memory (%zu bytes more were needed); exiting\n", size);
    _exit(XALLOC_EXIT_STATUS); /* other threads may hold locks: no atexit handlers, no flushing */
}

enum { XALLOC_HUGE_PAGE = 2 << 20, XALLOC_LINE = 64 };

/* The mapping of a table of `size` bytes: whole huge pages. */
static size_t table_span(size_t size)
{
    return (size + XALLOC_HUGE_PAGE - 1) & ~(size_t)(XALLOC_HUGE_PAGE - 1);
}

void *xalloc_table(size_t size)
{
    if (size < XALLOC_HUGE_PAGE) { /* small: on cache-line boundaries */
        size_t len = (size + XALLOC_LINE - 1) & ~(size_t)(XALLOC_LINE - 1);
        void *p = aligned_alloc(XALLOC_LINE, len ? len : XALLOC_LINE);
        if (!p)
            oom(size);
        memset(p, 0, len);
        return p;
    }
    size_t span = table_span(size ? size : 1), len = span + XALLOC_HUGE_PAGE;
    char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        oom(size);
    char *at = (char *)(((uintptr_t)base + XALLOC_HUGE_PAGE - 1) & ~(uintptr_t)(XALLOC_HUGE_PAGE - 1));
    if (at > base) /* keep only the aligned part */
        munmap(base, (size_t)(at - base));
    if (at + span < base + len)
        munmap(at + span, (size_t)(base + len - (at + span)));
#ifdef MADV_HUGEPAGE
    madvise(at, span, MADV_HUGEPAGE); /* advice only: without it the pages are small */
#endif
    return at;
}

void xfree_table(void *p, size_t size)
{
    if (p && size < XALLOC_HUGE_PAGE)
        free(p);
    else if (p)
        munmap(p, table_span(size));
}

void *xmalloc(size_t size)
{
    Arena *a = arena_current();
    if (a)
        return arena_alloc(a, size);
    void *p = malloc(size ? size : 1);
    if (!p)
        oom(size);
    return p;
}

void *xtry_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    Arena *a = arena_current();
    if (a) {
        void *q = arena_alloc(a, count * size);
        memset(q, 0, count * size);
        return q;
    }
    return calloc(count ? count : 1, size ? size : 1);
}

void *xcalloc(size_t count, size_t size)
{
    void *p = xtry_calloc(count, size);
    if (!p)
        oom(size && count > SIZE_MAX / size ? SIZE_MAX : count * size);
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    Arena *a = arena_current();
    if (a && (!ptr || arena_owns(a, ptr)))
        return arena_realloc(a, ptr, size);
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        oom(size);
    return p;
}

void xfree(void *ptr)
{
    Arena *a = arena_current();
    if (a && arena_owns(a, ptr))
        arena_free(a, ptr);
    else
        free(ptr);
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *p = xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, again);
    va_end(again);
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

/* The capacity a growing array of cap elements takes to hold need: doubled (from 8) until it does. */
static size_t grown_cap(size_t cap, size_t need)
{
    size_t n = cap ? cap * 2 : 8;
    while (n < need)
        n *= 2;
    return n;
}

void xgrow(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t n = grown_cap(*cap, need);
    *items = xrealloc(*items, n * elem);
    *cap = n;
}

/* A table of old_size bytes grown to new_size: from 2 MiB up, its pages move to the start of the new mapping
 * (mremap onto huge-page boundaries: no copy, and the pages stay huge), so the old and the new table are never in
 * memory at once (a record of 10 M states grows by 256 MiB at a time); smaller ones are copied. */
static void *table_regrow(void *old, size_t old_size, size_t new_size)
{
    void *p = xalloc_table(new_size);
    if (old && old_size >= XALLOC_HUGE_PAGE && new_size >= XALLOC_HUGE_PAGE &&
        mremap(old, table_span(old_size), table_span(old_size), MREMAP_MAYMOVE | MREMAP_FIXED, p) != MAP_FAILED)
        return p;
    if (old)
        memcpy(p, old, old_size);
    xfree_table(old, old_size);
    return p;
}

void xgrow_table(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t n = grown_cap(*cap, need);
    *items = table_regrow(*items, *cap * elem, n * elem);
    *cap = n;
}
