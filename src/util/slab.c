/* slab: size classes over huge-page mappings (see slab.h). A class is a size, 64 << (i / 4) plus a quarter of that
 * for each of (i % 4): each class has a list of freed blocks (the next one in a block's first bytes), and new blocks
 * are cut from the current mapping, a new one when it is used up (the rest of the old one is left). */
#include "util/slab.h"

#include "util/xalloc.h" /* XALLOC_EXIT_STATUS, xalloc_table */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum {
    SLAB_MIN_LOG2 = 6,                              /* the smallest class: 64 bytes */
    SLAB_CLASSES = 4 * (20 - SLAB_MIN_LOG2) + 1,    /* up to SLAB_LARGE_BYTES */
    SLAB_MAP_BYTES = 32 << 20,                      /* one mapping; only its touched pages cost memory */
};

typedef struct SlabMap {
    struct SlabMap *next;
    char *base;   /* as mapped (xalloc_table) */
    size_t len;
} SlabMap;

struct Slab {
    void *free_list[SLAB_CLASSES];
    char *cut, *end;   /* the rest of the current mapping */
    SlabMap *maps;
    size_t footprint;
    size_t live;       /* blocks allocated and not freed */
    bool destroyed;    /* by slab_destroy: goes with its last block */
};

static void slab_fail(const char *what)
{
    fprintf(stderr, "lockstep: %s; exiting\n", what);
    _exit(XALLOC_EXIT_STATUS);
}

Slab *slab_create(void)
{
    Slab *s = calloc(1, sizeof *s);
    if (!s)
        slab_fail("out of memory for saved model checker states");
    return s;
}

static void slab_release(Slab *s)
{
    for (SlabMap *m = s->maps, *next; m; m = next) {
        next = m->next;
        xfree_table(m->base, m->len);
        free(m);
    }
    free(s);
}

void slab_destroy(Slab *s)
{
    if (!s)
        return;
    s->destroyed = true;
    if (s->live == 0)
        slab_release(s);
}

/* The class of `need` bytes (need at most SLAB_LARGE_BYTES), and its size in *size. */
static int class_of(size_t need, size_t *size)
{
    size_t n = need > 64 ? need : 64;
    int log2 = 63 - __builtin_clzll((unsigned long long)n - 1); /* n - 1 < 2^(log2 + 1) */
    if (((size_t)1 << log2) < 64) {
        *size = 64;
        return 0;
    }
    size_t quarter = (size_t)1 << (log2 - 2);
    size_t steps = (n - ((size_t)1 << log2) + quarter - 1) / quarter; /* 1..4 quarters above 2^log2 */
    *size = ((size_t)1 << log2) + steps * quarter;
    return 4 * (log2 - SLAB_MIN_LOG2) + (int)steps;
}

size_t slab_size(size_t need)
{
    size_t size = need;
    if (need <= SLAB_LARGE_BYTES)
        class_of(need, &size);
    return size;
}

/* A new mapping to cut from, on huge pages (xalloc_table). */
static void map_more(Slab *s)
{
    SlabMap *m = malloc(sizeof *m);
    if (!m)
        slab_fail("out of memory for saved model checker states");
    char *at = xalloc_table(SLAB_MAP_BYTES);
    *m = (SlabMap){s->maps, at, SLAB_MAP_BYTES};
    s->maps = m;
    s->cut = at;
    s->end = at + SLAB_MAP_BYTES;
    s->footprint += SLAB_MAP_BYTES;
}

void *slab_alloc(Slab *s, size_t need)
{
    s->live++;
    if (need > SLAB_LARGE_BYTES) {
        void *p = malloc(need);
        if (!p)
            slab_fail("out of memory for a saved model checker state");
        s->footprint += need;
        return p;
    }
    size_t size;
    int c = class_of(need, &size);
    void *p = s->free_list[c];
    if (p) {
        s->free_list[c] = *(void **)p;
        return p;
    }
    if ((size_t)(s->end - s->cut) < size)
        map_more(s);
    p = s->cut;
    s->cut += size;
    return p;
}

void slab_free(Slab *s, void *p, size_t need)
{
    if (!p)
        return;
    if (need > SLAB_LARGE_BYTES) {
        free(p);
        s->footprint -= need;
    } else {
        size_t size;
        int c = class_of(need, &size);
        *(void **)p = s->free_list[c];
        s->free_list[c] = p;
    }
    if (--s->live == 0 && s->destroyed)
        slab_release(s);
}

size_t slab_footprint(const Slab *s)
{
    return s ? s->footprint : 0;
}
