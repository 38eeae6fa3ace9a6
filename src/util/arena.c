/* arena: a heap that can be saved and put back (see arena.h). Blocks are powers of two, a 16-byte header holding
 * the size class and the live prefix (arena_set_live), freed blocks on one list per class, new ones cut from the
 * top: simple, and every byte of the bookkeeping is inside the heap, so a copy of the heap is a copy of the allocator
 * too. The blocks lie end to end from the bookkeeping to the top, so a save walks them and takes each block's header
 * and live prefix only, in whole 64-byte chunks (with the stacks' live parts), and copies those chunks that differ from
 * the base image's copy, if it has a base (all of them if not); a restore copies the base back, then the chunks. */
#include "util/arena.h"

#include "util/sanitize.h"
#include "util/xalloc.h" /* XALLOC_EXIT_STATUS */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum {
    ARENA_HEADER_BYTES = 16,      /* before every block's payload: its size class */
    ARENA_MIN_CLASS = 5,          /* 32-byte blocks: 16 bytes of payload */
    ARENA_CLASSES = 40,
    ARENA_SLOT_WORDS = ARENA_STACK_SLOTS / 64,
    ARENA_JOIN_GAP = 256,         /* a gap of dead bytes this small between two segments is saved with them */
    ARENA_CHUNK = 64,             /* an image saved against a base keeps the chunks of this size that differ */
};

static const size_t ARENA_HEAP_RESERVE = (size_t)1 << 34; /* 16 GiB of addresses; only touched pages cost memory */

/* At the heap's start, saved and restored with it. */
typedef struct ArenaBook {
    size_t top;                            /* bytes in use from the heap's start, this header included */
    void *free_list[ARENA_CLASSES];        /* freed blocks of 1 << class bytes (the next one in their payload) */
    uint64_t stack_used[ARENA_SLOT_WORDS]; /* stack slots handed out */
} ArenaBook;

struct Arena {
    char *heap;
    char *stacks;
    size_t page, slot_bytes;                /* a slot: guard page + ARENA_STACK_BYTES */
    uint64_t guarded[ARENA_SLOT_WORDS]; /* slots whose guard page is set (the mapping's, never restored) */
    struct ArenaRun *ranges, *runs;     /* a save's scratch: the live ranges, the chunks it keeps */
    size_t nranges, cap_ranges, nruns, cap_runs, nbytes;
};

/* A block's header. */
typedef struct ArenaBlock {
    uint64_t size_class;
    uint64_t live;     /* bytes of payload that matter to a saved state: what was asked for, less after
                          arena_set_live, a free block's link only */
} ArenaBlock;


static _Thread_local Arena *current;

bool arena_supported(void)
{
#if defined(__x86_64__) && !LS_ASAN && !LS_TSAN
    return true;
#else
    return false;
#endif
}

static void arena_fail(const char *what)
{
    fprintf(stderr, "lockstep: %s; exiting\n", what);
    _exit(XALLOC_EXIT_STATUS);
}

static ArenaBook *book(const Arena *a)
{
    return (ArenaBook *)(void *)a->heap;
}

Arena *arena_create(void)
{
    if (!arena_supported())
        return NULL;
    Arena *a = calloc(1, sizeof *a); /* outside any arena, whatever is current */
    if (!a)
        arena_fail("out of memory for a model checker arena");
    a->page = (size_t)sysconf(_SC_PAGESIZE);
    a->slot_bytes = ARENA_STACK_BYTES + a->page;
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    a->heap = mmap(NULL, ARENA_HEAP_RESERVE, PROT_READ | PROT_WRITE, flags, -1, 0);
    a->stacks = mmap(NULL, a->slot_bytes * ARENA_STACK_SLOTS, PROT_READ | PROT_WRITE, flags | MAP_STACK, -1, 0);
    if (a->heap == MAP_FAILED || a->stacks == MAP_FAILED)
        arena_fail("the system refused address space for a model checker arena");
    book(a)->top = (sizeof(ArenaBook) + 15) / 16 * 16;
    return a;
}

void arena_destroy(Arena *a)
{
    if (!a)
        return;
    if (current == a)
        current = NULL;
    munmap(a->heap, ARENA_HEAP_RESERVE);
    munmap(a->stacks, a->slot_bytes * ARENA_STACK_SLOTS);
    free(a->ranges);
    free(a->runs);
    free(a);
}

Arena *arena_enter(Arena *a)
{
    Arena *previous = current;
    current = a;
    return previous;
}

void arena_leave(Arena *previous)
{
    current = previous;
}

Arena *arena_current(void)
{
    return current;
}

/* ---------------------------------------------------------------- the heap */

static int size_class(size_t size)
{
    size_t need = size + ARENA_HEADER_BYTES;
    int c = ARENA_MIN_CLASS;
    while (c < ARENA_CLASSES && ((size_t)1 << c) < need)
        c++;
    return c;
}

void *arena_alloc(Arena *a, size_t size)
{
    int c = size_class(size);
    if (c >= ARENA_CLASSES)
        arena_fail("an allocation too large for the model checker's arena");
    ArenaBook *b = book(a);
    char *block = b->free_list[c];
    if (block) {
        b->free_list[c] = *(void **)(void *)(block + ARENA_HEADER_BYTES);
    } else {
        size_t bytes = (size_t)1 << c;
        if (b->top + bytes > ARENA_HEAP_RESERVE)
            arena_fail("out of memory in the model checker's arena");
        block = a->heap + b->top;
        b->top += bytes;
    }
    *(ArenaBlock *)(void *)block = (ArenaBlock){(uint64_t)c, size ? size : 1};
    return block + ARENA_HEADER_BYTES;
}

static ArenaBlock *block_of(const void *p)
{
    return (ArenaBlock *)(void *)((char *)(uintptr_t)p - ARENA_HEADER_BYTES);
}

static int class_of(const void *p)
{
    return (int)block_of(p)->size_class;
}

void arena_set_live(void *p, size_t bytes)
{
    Arena *a = current;
    if (!a || !arena_owns(a, p))
        return;
    size_t payload = ((size_t)1 << class_of(p)) - ARENA_HEADER_BYTES;
    block_of(p)->live = bytes == 0 ? 1 : bytes < payload ? bytes : payload;
}

void arena_free(Arena *a, void *p)
{
    if (!p)
        return;
    int c = class_of(p);
    block_of(p)->live = sizeof(void *); /* only the link to the next free block */
    *(void **)p = book(a)->free_list[c];
    book(a)->free_list[c] = (char *)p - ARENA_HEADER_BYTES;
}

void *arena_realloc(Arena *a, void *p, size_t size)
{
    if (!p)
        return arena_alloc(a, size);
    size_t have = ((size_t)1 << class_of(p)) - ARENA_HEADER_BYTES;
    if (size <= have) {
        block_of(p)->live = size ? size : 1;
        return p;
    }
    void *q = arena_alloc(a, size);
    memcpy(q, p, have);
    arena_free(a, p);
    return q;
}

bool arena_owns(const Arena *a, const void *p)
{
    const char *c = p;
    return a && c >= a->heap && c < a->heap + ARENA_HEAP_RESERVE;
}

size_t arena_used(const Arena *a)
{
    return book(a)->top;
}

uint64_t arena_layout(const Arena *a)
{
    size_t top = book(a)->top;
    uint64_t h = top;
    for (size_t at = (sizeof(ArenaBook) + 15) / 16 * 16; at < top;) {
        const ArenaBlock *b = (const ArenaBlock *)(const void *)(a->heap + at);
        h = (h ^ (at << 6 | b->size_class)) * 0x100000001B3ull;
        at += (size_t)1 << b->size_class;
    }
    return h ^ h >> 29;
}

/* ---------------------------------------------------------------- stacks */

char *arena_stack_alloc(Arena *a)
{
    ArenaBook *b = book(a);
    for (int i = 0; i < ARENA_STACK_SLOTS; i++) {
        uint64_t bit = 1ull << (i % 64);
        if (b->stack_used[i / 64] & bit)
            continue;
        b->stack_used[i / 64] |= bit;
        char *slot = a->stacks + (size_t)i * a->slot_bytes;
        if (!(a->guarded[i / 64] & bit)) { /* a stack overflow faults instead of running into the next stack */
            if (mprotect(slot, a->page, PROT_NONE) != 0)
                arena_fail("the system refused a guard page for a fiber stack");
            a->guarded[i / 64] |= bit;
        }
        return slot + a->page;
    }
    return NULL;
}

void arena_stack_free(Arena *a, char *stack)
{
    size_t i = (size_t)(stack - a->page - a->stacks) / a->slot_bytes;
    book(a)->stack_used[i / 64] &= ~(1ull << (i % 64));
}

/* ---------------------------------------------------------------- images */

/* An image is a list of runs (whole chunks of ARENA_CHUNK bytes, at their addresses in the heap or a stack) and
 * their bytes, in one allocation: the header, then the runs, then the bytes. A full image's runs cover every chunk
 * that holds a byte that matters; an image saved against a base keeps only the chunks whose bytes differ from the
 * base's copy (or that the base has none of), and a restore puts the base back first. */
typedef struct ArenaRun {
    char *at;
    size_t len;
} ArenaRun;

struct ArenaImage {
    const ArenaImage *base; /* NULL: a full image */
    size_t nruns, nbytes;
    size_t cap;             /* bytes allocated after the header */
    size_t span;            /* the bytes a full image of this state holds */
    _Alignas(16) char data[]; /* nruns ArenaRun, then nbytes */
};

static ArenaRun *image_runs(const ArenaImage *img)
{
    return (ArenaRun *)(void *)(uintptr_t)img->data;
}

static const char *image_bytes(const ArenaImage *img)
{
    return img->data + sizeof(ArenaRun) * img->nruns;
}

/* Grow a scratch buffer (*p of *cap elements of `size` bytes) to at least need elements. */
static void scratch_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        arena_fail("out of memory for a saved model checker state");
    *p = q;
    *cap = n;
}

static void range_add(Arena *a, char *at, size_t len)
{
    scratch_grow((void **)&a->ranges, &a->cap_ranges, a->nranges + 1, sizeof(ArenaRun));
    a->ranges[a->nranges++] = (ArenaRun){at, len};
}

/* Each heap block's header and live prefix, after the bookkeeping, as ranges (a gap of a few dead bytes between two
 * is taken along). */
static void heap_ranges(Arena *a)
{
    size_t top = book(a)->top, first = (sizeof(ArenaBook) + 15) / 16 * 16;
    range_add(a, a->heap, first);
    for (size_t at = first; at < top;) {
        const ArenaBlock *b = (const ArenaBlock *)(const void *)(a->heap + at);
        size_t len = ARENA_HEADER_BYTES + b->live;
        ArenaRun *last = &a->ranges[a->nranges - 1];
        size_t gap = (size_t)(a->heap + at - (last->at + last->len));
        if (gap <= ARENA_JOIN_GAP)
            last->len += gap + len;
        else
            range_add(a, a->heap + at, len);
        at += (size_t)1 << b->size_class;
    }
}

/* The stack regions as ranges, in address order (a few: sorted by insertion). */
static void stack_ranges(Arena *a, const ArenaRegion *regions, int nregions)
{
    size_t first = a->nranges;
    for (int i = 0; i < nregions; i++) {
        if (regions[i].len == 0)
            continue;
        range_add(a, (char *)(uintptr_t)regions[i].at, regions[i].len);
        for (size_t j = a->nranges - 1; j > first && a->ranges[j - 1].at > a->ranges[j].at; j--) {
            ArenaRun t = a->ranges[j];
            a->ranges[j] = a->ranges[j - 1];
            a->ranges[j - 1] = t;
        }
    }
}

/* The ranges of bytes that matter now, in address order (into a->ranges): the heap's and the stacks' (two separate
 * mappings, either may lie below the other). */
static void live_ranges(Arena *a, const ArenaRegion *regions, int nregions)
{
    a->nranges = 0;
    if (a->stacks < a->heap)
        stack_ranges(a, regions, nregions);
    heap_ranges(a);
    if (a->stacks > a->heap)
        stack_ranges(a, regions, nregions);
}

static char *chunk_down(const char *p)
{
    return (char *)((uintptr_t)p & ~(uintptr_t)(ARENA_CHUNK - 1));
}

static char *chunk_up(const char *p)
{
    return (char *)(((uintptr_t)p + ARENA_CHUNK - 1) & ~(uintptr_t)(ARENA_CHUNK - 1));
}

/* Add the chunks [at, end) to the image being built (a->runs), joined to the last run when adjacent. */
static void run_add(Arena *a, char *at, char *end)
{
    if (a->nruns > 0 && a->runs[a->nruns - 1].at + a->runs[a->nruns - 1].len == at) {
        a->runs[a->nruns - 1].len += (size_t)(end - at);
    } else {
        scratch_grow((void **)&a->runs, &a->cap_runs, a->nruns + 1, sizeof(ArenaRun));
        a->runs[a->nruns++] = (ArenaRun){at, (size_t)(end - at)};
    }
    a->nbytes += (size_t)(end - at);
}

static bool chunk_same(const char *x, const char *y)
{
    const uint64_t *p = (const uint64_t *)(const void *)x, *q = (const uint64_t *)(const void *)y;
    uint64_t diff = 0;
    for (int i = 0; i < ARENA_CHUNK / 8; i++)
        diff |= p[i] ^ q[i];
    return diff == 0;
}

/* The chunks of a->ranges into a->runs: all of them, or (against a base) those that differ from the base. Returns
 * the bytes all of them hold (the image's span). */
static size_t image_runs_build(Arena *a, const ArenaImage *base)
{
    a->nruns = 0;
    a->nbytes = 0;
    size_t span = 0, b = 0;
    const ArenaRun *bruns = base ? image_runs(base) : NULL;
    const char *bbytes = base ? image_bytes(base) : NULL;
    size_t boff = 0; /* where base run b's bytes start */
    char *done = NULL; /* chunks below this were handled (heap ranges can share a chunk) */
    for (size_t i = 0; i < a->nranges; i++) {
        char *from = chunk_down(a->ranges[i].at), *end = chunk_up(a->ranges[i].at + a->ranges[i].len);
        if (from < done) /* the last range ended inside this chunk */
            from = done;
        if (from >= end)
            continue;
        span += (size_t)(end - from);
        if (!base) {
            run_add(a, from, end);
        } else {
            for (char *c = from; c < end; c += ARENA_CHUNK) {
                while (b < base->nruns && bruns[b].at + bruns[b].len <= c)
                    boff += bruns[b++].len;
                if (b < base->nruns && bruns[b].at <= c && chunk_same(c, bbytes + boff + (size_t)(c - bruns[b].at)))
                    continue;
                run_add(a, c, c + ARENA_CHUNK);
            }
        }
        done = end;
    }
    return span;
}

ArenaImage *arena_save(Arena *a, const ArenaRegion *regions, int nregions, ArenaImage *reuse, const ArenaImage *base)
{
    if (base && base->base)
        arena_fail("a saved model checker state made against one that is not whole");
    live_ranges(a, regions, nregions);
    size_t span = image_runs_build(a, base);
    size_t need = sizeof(ArenaRun) * a->nruns + a->nbytes;
    ArenaImage *img = reuse;
    if (!img || img->cap < need || img->cap > 2 * need + 256) { /* exact, or close: its bytes count in budgets */
        img = realloc(img, sizeof *img + need);
        if (!img)
            arena_fail("out of memory for a saved model checker state");
        img->cap = need;
    }
    img->base = base;
    img->nruns = a->nruns;
    img->nbytes = a->nbytes;
    img->span = span;
    memcpy(image_runs(img), a->runs, sizeof(ArenaRun) * a->nruns);
    char *to = img->data + sizeof(ArenaRun) * a->nruns;
    for (size_t i = 0; i < a->nruns; i++) {
        memcpy(to, a->runs[i].at, a->runs[i].len);
        to += a->runs[i].len;
    }
    return img;
}

static void restore_runs(const ArenaImage *img)
{
    const ArenaRun *runs = image_runs(img);
    const char *from = image_bytes(img);
    for (size_t i = 0; i < img->nruns; i++) {
        memcpy(runs[i].at, from, runs[i].len);
        from += runs[i].len;
    }
}

void arena_restore(Arena *a, const ArenaImage *img)
{
    (void)a;
    if (img->base)
        restore_runs(img->base);
    restore_runs(img);
}

void arena_image_destroy(ArenaImage *img)
{
    free(img);
}

size_t arena_image_bytes(const ArenaImage *img)
{
    return img ? sizeof *img + img->cap : 0;
}

size_t arena_image_span(const ArenaImage *img)
{
    return img ? img->span : 0;
}
