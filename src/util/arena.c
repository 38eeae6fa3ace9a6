/* arena: a heap that can be saved and put back (see arena.h). Blocks are powers of two, a 16-byte header holding
 * the size class and the live prefix (arena_set_live), freed blocks on one list per class, new ones cut from the
 * top: simple, and every byte of the bookkeeping is inside the heap, so a copy of the heap is a copy of the allocator
 * too. The blocks lie end to end from the bookkeeping to the top, so a save walks them and copies each block's
 * header and live prefix only, as segments (runs of bytes that matter) that a restore copies back. */
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
};

/* A block's header. */
typedef struct ArenaBlock {
    uint64_t size_class;
    uint64_t live;     /* bytes of payload that matter to a saved state: what was asked for, less after
                          arena_set_live, a free block's link only */
} ArenaBlock;

/* A run of heap bytes an image holds. */
typedef struct ArenaSegment {
    size_t at, len;
} ArenaSegment;

struct ArenaImage {
    int nsegments, nregions;
    ArenaSegment *segments; /* heap offsets */
    ArenaRegion *regions;
    char *bytes;            /* every segment, then every region */
    size_t nbytes;
    size_t cap_segments, cap_regions, cap_bytes; /* the buffers' sizes, in bytes (an image may be saved over) */
};

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

/* Images belong to the caller, never to an arena (whichever is current). */
static void *outside(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        arena_fail("out of memory for a saved model checker state");
    return p;
}

/* Grow an image's buffer (*p of *cap bytes) to at least need bytes. */
static void image_grow(void **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n);
    if (!q)
        arena_fail("out of memory for a saved model checker state");
    *p = q;
    *cap = n;
}

/* The segments of the heap that matter now (into img->segments): the bookkeeping, then each block's header and live
 * prefix, adjacent ones joined. Returns the bytes they hold. */
static size_t heap_segments(const Arena *a, ArenaImage *img)
{
    size_t top = book(a)->top, first = (sizeof(ArenaBook) + 15) / 16 * 16, bytes = first;
    int n = 0;
    image_grow((void **)&img->segments, &img->cap_segments, sizeof(ArenaSegment));
    img->segments[n++] = (ArenaSegment){0, first};
    for (size_t at = first; at < top;) {
        const ArenaBlock *b = (const ArenaBlock *)(const void *)(a->heap + at);
        size_t size = (size_t)1 << b->size_class;
        size_t len = ARENA_HEADER_BYTES + b->live;
        ArenaSegment *last = &img->segments[n - 1];
        size_t gap = at - (last->at + last->len);
        if (gap <= ARENA_JOIN_GAP) { /* one copy of a few dead bytes is cheaper than another memcpy call */
            bytes += gap;
            last->len += gap + len;
        } else {
            image_grow((void **)&img->segments, &img->cap_segments, sizeof(ArenaSegment) * ((size_t)n + 1));
            img->segments[n++] = (ArenaSegment){at, len};
        }
        bytes += len;
        at += size;
    }
    img->nsegments = n;
    return bytes;
}

ArenaImage *arena_save(Arena *a, const ArenaRegion *regions, int nregions, ArenaImage *reuse)
{
    ArenaImage *img = reuse;
    if (!img) {
        img = outside(sizeof *img);
        *img = (ArenaImage){0};
    }
    img->nbytes = heap_segments(a, img);
    img->nregions = nregions;
    image_grow((void **)&img->regions, &img->cap_regions, sizeof(ArenaRegion) * ((size_t)nregions + 1));
    for (int i = 0; i < nregions; i++) {
        img->regions[i] = regions[i];
        img->nbytes += regions[i].len;
    }
    image_grow((void **)&img->bytes, &img->cap_bytes, img->nbytes);
    char *to = img->bytes;
    for (int i = 0; i < img->nsegments; i++) {
        memcpy(to, a->heap + img->segments[i].at, img->segments[i].len);
        to += img->segments[i].len;
    }
    for (int i = 0; i < nregions; i++) {
        memcpy(to, regions[i].at, regions[i].len);
        to += regions[i].len;
    }
    return img;
}

void arena_restore(Arena *a, const ArenaImage *img)
{
    const char *from = img->bytes;
    for (int i = 0; i < img->nsegments; i++) {
        memcpy(a->heap + img->segments[i].at, from, img->segments[i].len);
        from += img->segments[i].len;
    }
    for (int i = 0; i < img->nregions; i++) {
        memcpy((void *)(uintptr_t)img->regions[i].at, from, img->regions[i].len);
        from += img->regions[i].len;
    }
}

void arena_image_destroy(ArenaImage *img)
{
    if (!img)
        return;
    free(img->segments);
    free(img->regions);
    free(img->bytes);
    free(img);
}

size_t arena_image_bytes(const ArenaImage *img)
{
    return img ? sizeof *img + img->cap_segments + img->cap_regions + img->cap_bytes : 0;
}
