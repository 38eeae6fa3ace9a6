/* arena: a heap that can be saved and put back (see arena.h). Blocks are powers of two, a 16-byte header holding
 * the size class and the live prefix (arena_set_live), freed blocks on one list per class, new ones cut from the top
 * of their class's own region: simple, and every byte of the bookkeeping is inside the heap, so a copy of the heap is
 * a copy of the allocator too. A region per class keeps the heap's layout from depending on the order of allocations
 * of different sizes (a thread's first lock queue before or after another's interpreter), so that states reached by
 * different paths hold their structures at the same addresses. The blocks of a region lie end to end, so a save walks
 * them and takes each block's header and live prefix only, in whole 16-byte chunks (with the stacks' live parts), and
 * copies those chunks that differ from the base image's copy, if it has a base (all of them if not); a restore copies
 * the base back, then the chunks. While nothing has written the arena since a save or a restore against a base, the
 * arena knows it holds that base with that image's chunks over it, and arena_restore_changed puts back only those
 * chunks and the new image's. After writes, a base saved whole with owners (arena_save_whole: the regions only one
 * fiber writes, or the caller where it says so) lets arena_restore_sparing copy back only what nobody or a fiber that
 * ran (or the caller, if it wrote) since owns, the pieces grouped by owner; the allocator's book is the caller's
 * too, and allocating or freeing says it was written. The heap and the stacks are one mapping, so a chunk's number is
 * its offset from the heap's start in 16-byte units, wherever it lies. Images are blocks of a slab per arena
 * (util/slab.h): no C heap bookkeeping, and huge pages for the many a breadth-first search keeps. */
#include "util/arena.h"

#include "util/sanitize.h"
#include "util/memroom.h"
#include "util/slab.h"
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
    ARENA_CLASSES = 28,           /* the largest block: 128 MiB */
    ARENA_REGION_LOG2 = 29,       /* each class's blocks are cut from a region of 512 MiB of addresses, or less where
                                     the address space is limited (ARENA_SIZES) */
    ARENA_SLOT_WORDS = ARENA_STACK_SLOTS / 64,
    ARENA_JOIN_GAP = 32,          /* a gap of dead bytes this small between two ranges is saved with them */
    ARENA_CHUNK = 16,             /* an image saved against a base keeps the chunks of this size that differ */
};

/* The bookkeeping's region, then one per class: 12 GiB of addresses at the largest size; only touched pages cost
 * memory, but every reserved byte counts against a limit on the address space (ulimit -v, RLIMIT_AS). Where the
 * largest does not fit in a quarter of what the limit leaves, a smaller one is reserved (its largest blocks are
 * smaller, and it has fewer stack slots, still one for every thread the model checker allows); where none fits,
 * there is no arena and the model checker replays (arena_create). */
typedef struct ArenaSize {
    int region_log2; /* a class's region: 2^this bytes */
    int slots;       /* stack slots */
} ArenaSize;

static const ArenaSize ARENA_SIZES[] = {{ARENA_REGION_LOG2, ARENA_STACK_SLOTS}, {28, ARENA_STACK_SLOTS}, {27, 128},
                                        {26, 64}, {25, 64}, {24, 64}, {23, 64}, {22, 64}};

static size_t heap_reserve_of(int region_log2)
{
    return (size_t)(ARENA_CLASSES - ARENA_MIN_CLASS + 1) << region_log2;
}

/* At the heap's start, saved and restored with it. */
typedef struct ArenaBook {
    size_t top[ARENA_CLASSES];             /* bytes cut from each class's region */
    void *free_list[ARENA_CLASSES];        /* freed blocks of 1 << class bytes (the next one in their payload) */
    uint64_t stack_used[ARENA_SLOT_WORDS]; /* stack slots handed out */
} ArenaBook;

struct Arena {
    char *heap;
    char *stacks;
    size_t page, slot_bytes;                /* a slot: guard page + ARENA_STACK_BYTES */
    int region_log2, nslots;                /* its ArenaSize */
    size_t heap_reserve;                    /* the heap's addresses: heap_reserve_of(region_log2) */
    uint64_t guarded[ARENA_SLOT_WORDS]; /* slots whose guard page is set (the mapping's, never restored) */
    struct ArenaSpan *ranges;           /* a save's scratch: the live ranges, */
    struct ArenaRun *runs;              /* the chunks it keeps */
    Slab *images;                       /* where its images are allocated */
    size_t nranges, cap_ranges, nruns, cap_runs, nbytes;
    /* What the arena holds, while it is known (see arena_restore_changed): on every chunk of known_base and of
     * known_runs, the base's bytes with the chunks known_runs lists put over them, as arena_restore leaves it. */
    const struct ArenaImage *known_base; /* NULL: not known */
    struct ArenaRun *known_runs;
    size_t nknown, cap_known;
    bool verify;                         /* check every sparing restore (LOCKSTEP_ARENA_CHECK; the test suite sets it) */
    bool touched;                        /* written since the last save or restore (as far as the arena can tell) */
    const struct ArenaImage *known_image; /* the image whose state it holds, while known_base is set */
    uint64_t ran[ARENA_SLOT_WORDS + 1];  /* stack slots whose fibers have run since then (arena_stack_ran), then
                                            ARENA_CALLER_SLOT */
    struct ArenaOwned *owned;            /* a whole save's scratch: the regions owned by stack slots, in chunks */
    size_t nowned, cap_owned;
    struct ArenaRun *split;              /* ... its runs split where an owned region starts or ends, */
    uint16_t *owners;                    /* ... and the owner of each */
    size_t nsplit, cap_split, cap_owners;
};

enum {
    ARENA_COMMON = 0xFFFF,               /* a run of a whole image no stack slot owns */
    ARENA_CALLER_SLOT = ARENA_STACK_SLOTS, /* the owner of regions owned with no stack: the caller, outside fibers */
};

/* Chunks [lo, hi) that only the fiber on stack slot `slot` writes. */
typedef struct ArenaOwned {
    uint32_t lo, hi;
    uint16_t slot;
} ArenaOwned;

/* A range of bytes that matter to a saved state. */
typedef struct ArenaSpan {
    char *at;
    size_t len;
} ArenaSpan;

/* A block's header. */
typedef struct ArenaBlock {
    uint64_t size_class;
    uint64_t live;     /* bytes of payload that matter to a saved state: what was asked for, less after
                          arena_set_live, a free block's link only */
} ArenaBlock;


static _Thread_local Arena *current;

bool arena_checks_asked(void)
{
    const char *check = getenv("LOCKSTEP_ARENA_CHECK");
    return check && *check && strcmp(check, "0") != 0;
}

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

#define BOOK_BYTES ((sizeof(ArenaBook) + 15) / 16 * 16)

/* The book is owned by no stack (a whole image's runs over it are ARENA_CALLER_SLOT's pieces): only allocating and
 * freeing write it, and they say so here, so that a restore after steps that did neither leaves it be. */
static void book_written(Arena *a)
{
    a->ran[ARENA_CALLER_SLOT / 64] |= 1ull << (ARENA_CALLER_SLOT % 64);
}

/* Where the blocks of class c are cut from. */
static char *region(const Arena *a, int c)
{
    return a->heap + ((size_t)(c - ARENA_MIN_CLASS + 1) << a->region_log2);
}

/* Reserve the heap and the stacks at size z; false (nothing reserved) when the system refuses either. */
static bool arena_reserve(Arena *a, ArenaSize z)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    a->region_log2 = z.region_log2;
    a->nslots = z.slots;
    a->heap_reserve = heap_reserve_of(z.region_log2);
    size_t stack_bytes = a->slot_bytes * (size_t)z.slots;
    a->heap = mmap(NULL, a->heap_reserve + stack_bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (a->heap == MAP_FAILED)
        return false;
    a->stacks = a->heap + a->heap_reserve; /* one span: a chunk's address is one multiplication away (chunk_at) */
    if (mmap(a->stacks, stack_bytes, PROT_READ | PROT_WRITE, flags | MAP_STACK | MAP_FIXED, -1, 0) != MAP_FAILED)
        return true;
    munmap(a->heap, a->heap_reserve + stack_bytes);
    return false;
}

Arena *arena_create(void)
{
    if (!arena_supported())
        return NULL;
    Arena *a = calloc(1, sizeof *a); /* outside any arena, whatever is current */
    if (!a)
        return NULL;
    a->page = (size_t)sysconf(_SC_PAGESIZE);
    a->verify = arena_checks_asked();
    a->slot_bytes = ARENA_STACK_BYTES + a->page;
    size_t room = memroom_address_bytes(); /* a quarter of it: the search's graph and saved states need the rest */
    room = room == SIZE_MAX ? room : room / 4;
    for (size_t i = 0; i < sizeof ARENA_SIZES / sizeof ARENA_SIZES[0]; i++) {
        ArenaSize z = ARENA_SIZES[i];
        if (heap_reserve_of(z.region_log2) + a->slot_bytes * (size_t)z.slots > room || !arena_reserve(a, z))
            continue;
        a->images = slab_create();
        return a;
    }
    free(a); /* no room for one: the model checker replays instead */
    return NULL;
}

void arena_destroy(Arena *a)
{
    if (!a)
        return;
    if (current == a)
        current = NULL;
    munmap(a->heap, a->heap_reserve + a->slot_bytes * (size_t)a->nslots);
    free(a->ranges);
    free(a->runs);
    free(a->known_runs);
    free(a->owned);
    free(a->split);
    free(a->owners);
    slab_destroy(a->images); /* its memory goes with the last image */
    free(a);
}

Arena *arena_enter(Arena *a)
{
    Arena *previous = current;
    if (a)
        a->touched = true; /* whatever runs inside may write anywhere in it */
    current = a;
    return previous;
}

void arena_leave(Arena *previous)
{
    if (current)
        current->touched = true;
    current = previous;
}

Arena *arena_current(void)
{
    return current;
}

void arena_touch(Arena *a)
{
    if (a)
        a->touched = true;
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
    a->touched = true;
    book_written(a);
    ArenaBook *b = book(a);
    char *block = b->free_list[c];
    if (block) {
        b->free_list[c] = *(void **)(void *)(block + ARENA_HEADER_BYTES);
    } else {
        size_t bytes = (size_t)1 << c;
        if (b->top[c] + bytes > (size_t)1 << a->region_log2)
            arena_fail("out of memory in the model checker's arena");
        block = region(a, c) + b->top[c];
        b->top[c] += bytes;
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
    a->touched = true;
    size_t payload = ((size_t)1 << class_of(p)) - ARENA_HEADER_BYTES;
    block_of(p)->live = bytes == 0 ? 1 : bytes < payload ? bytes : payload;
}

void arena_free(Arena *a, void *p)
{
    if (!p)
        return;
    a->touched = true;
    book_written(a);
    int c = class_of(p);
    block_of(p)->live = sizeof(void *); /* only the link to the next free block */
    *(void **)p = book(a)->free_list[c];
    book(a)->free_list[c] = (char *)p - ARENA_HEADER_BYTES;
}

void *arena_realloc(Arena *a, void *p, size_t size)
{
    if (!p)
        return arena_alloc(a, size);
    a->touched = true;
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
    return a && c >= a->heap && c < a->heap + a->heap_reserve;
}

size_t arena_used(const Arena *a)
{
    size_t used = BOOK_BYTES;
    for (int c = ARENA_MIN_CLASS; c < ARENA_CLASSES; c++)
        used += book(a)->top[c];
    return used;
}

uint64_t arena_layout(const Arena *a)
{
    uint64_t h = 0x5A5A;
    for (int c = ARENA_MIN_CLASS; c < ARENA_CLASSES; c++)
        h = (h ^ book(a)->top[c]) * 0x100000001B3ull;
    return h ^ h >> 29;
}

/* ---------------------------------------------------------------- stacks */

char *arena_stack_alloc(Arena *a)
{
    a->touched = true;
    book_written(a);
    ArenaBook *b = book(a);
    for (int i = 0; i < a->nslots; i++) {
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

static size_t slot_of(const Arena *a, const char *stack)
{
    if (!stack)
        return ARENA_CALLER_SLOT;
    return (size_t)(stack - a->page - a->stacks) / a->slot_bytes;
}

uint64_t *arena_stack_ran(Arena *a, const char *stack, uint64_t *bit)
{
    size_t i = slot_of(a, stack);
    *bit = 1ull << (i % 64);
    return &a->ran[i / 64];
}

size_t arena_block_bytes(const void *p)
{
    return ((size_t)1 << class_of(p)) - ARENA_HEADER_BYTES;
}

void arena_stack_free(Arena *a, char *stack)
{
    size_t i = slot_of(a, stack);
    a->touched = true;
    book_written(a);
    book(a)->stack_used[i / 64] &= ~(1ull << (i % 64));
}

/* ---------------------------------------------------------------- images */

/* An image is a list of runs of chunks (ARENA_CHUNK bytes each, numbered over the heap's addresses, then the stacks')
 * and their bytes, in one allocation: the header, then the runs, then the bytes. A whole image's runs cover every chunk
 * that holds a byte that matters; an image saved against a base keeps only the chunks whose bytes differ from the
 * base's copy (or that the base has none of), and a restore puts the base back first. */
typedef struct ArenaRun {
    uint32_t chunk, n;
} ArenaRun;

struct ArenaImage {
    const ArenaImage *base;   /* NULL: a whole image */
    Slab *slab;               /* its memory's (the arena's, which may go first) */
    uint32_t nruns, nbytes;
    uint32_t cap;             /* bytes allocated after the header */
    uint32_t span;            /* the bytes a whole image of this state holds */
    uint64_t owners;          /* the owners' signature the caller gave (arena_image_set_owners; 0: none) */
    uint32_t nsplit;          /* a whole image with owners (arena_save_whole): its runs split where an owned region
                                 starts or ends, after its bytes (0: none) */
    uint32_t ngroups;         /* ... and the pieces' groups by owner, after them */
    _Alignas(8) char data[];  /* nruns ArenaRun, then nbytes, then nsplit ArenaPiece, then ngroups ArenaGroup */
};

/* A piece of an owned image's runs: chunks [chunk, chunk + n), whose bytes lie `off` chunks into image_bytes, and
 * the stack slot that owns them (ARENA_COMMON: none). Sorted by owner, so that a sparing restore, which copies the
 * pieces of some owners and skips the others', branches the same way many times in a row. */
typedef struct ArenaPiece {
    uint32_t chunk, n, off;
    uint16_t owner;
} ArenaPiece;

/* The pieces [first, end) of one owner: a sparing restore skips an owner that did not run in one test. */
typedef struct ArenaGroup {
    uint32_t first, end;
    uint16_t owner;
} ArenaGroup;

static ArenaRun *image_runs(const ArenaImage *img)
{
    return (ArenaRun *)(void *)(uintptr_t)img->data;
}

static const char *image_bytes(const ArenaImage *img)
{
    return img->data + sizeof(ArenaRun) * img->nruns;
}

/* An owned image's runs split at its owned regions' ends. */
static ArenaPiece *image_pieces(const ArenaImage *img)
{
    return (ArenaPiece *)(void *)(uintptr_t)(image_bytes(img) + img->nbytes);
}

static ArenaGroup *image_groups(const ArenaImage *img)
{
    return (ArenaGroup *)(void *)(image_pieces(img) + img->nsplit);
}

/* Chunk numbers: over the heap's addresses from its start, then the stacks' (which follow it in one mapping). */
static uint32_t chunk_of(const Arena *a, const char *p)
{
    return (uint32_t)((size_t)(p - a->heap) / ARENA_CHUNK);
}

static char *chunk_at(const Arena *a, uint32_t chunk)
{
    return a->heap + (size_t)chunk * ARENA_CHUNK;
}

/* Copy n chunks. Most runs are one or two chunks long: those copies are inlined (a call to memcpy for 16 bytes cost
 * more than the copy; saving and restoring states is most of the model checker's time). */
static inline void copy_chunks(char *to, const char *from, uint32_t n)
{
    _Static_assert(ARENA_CHUNK == 16, "copy_chunks inlines 16-byte copies");
    switch (n) {
    case 1:
        memcpy(to, from, 16);
        break;
    case 2:
        memcpy(to, from, 32);
        break;
    default:
        memcpy(to, from, (size_t)n * ARENA_CHUNK);
    }
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
    scratch_grow((void **)&a->ranges, &a->cap_ranges, a->nranges + 1, sizeof(ArenaSpan));
    a->ranges[a->nranges++] = (ArenaSpan){at, len};
}

/* Each heap block's header and live prefix, after the bookkeeping, as ranges (a gap of a few dead bytes between two
 * is taken along). */
static void heap_ranges(Arena *a)
{
    range_add(a, a->heap, BOOK_BYTES);
    for (int c = ARENA_MIN_CLASS; c < ARENA_CLASSES; c++) {
        char *from = region(a, c), *end = from + book(a)->top[c];
        for (char *at = from; at < end; at += (size_t)1 << c) {
            const ArenaBlock *b = (const ArenaBlock *)(const void *)at;
            size_t len = ARENA_HEADER_BYTES + b->live;
            ArenaSpan *last = &a->ranges[a->nranges - 1];
            size_t gap = (size_t)(at - (last->at + last->len));
            if (last->at >= from && gap <= ARENA_JOIN_GAP)
                last->len += gap + len;
            else
                range_add(a, at, len);
        }
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
            ArenaSpan t = a->ranges[j];
            a->ranges[j] = a->ranges[j - 1];
            a->ranges[j - 1] = t;
        }
    }
}

/* Add chunks [c, c + n) to the image being built (a->runs), joined to the last run when adjacent. */
static void run_add(Arena *a, uint32_t c, uint32_t n)
{
    if (a->nruns > 0 && a->runs[a->nruns - 1].chunk + a->runs[a->nruns - 1].n == c) {
        a->runs[a->nruns - 1].n += n;
    } else {
        scratch_grow((void **)&a->runs, &a->cap_runs, a->nruns + 1, sizeof(ArenaRun));
        a->runs[a->nruns++] = (ArenaRun){c, n};
    }
    a->nbytes += (size_t)n * ARENA_CHUNK;
}

/* Whether 16-byte chunks x and y differ. */
static uint64_t chunk_diff(const char *x, const char *y)
{
    uint64_t p[2], q[2];
    memcpy(p, x, sizeof p);
    memcpy(q, y, sizeof q);
    return (p[0] ^ q[0]) | (p[1] ^ q[1]);
}

/* The chunks [c, end) that the base holds at q (its copy of chunk c), compared with the arena's: those that differ
 * into a->runs. Most are the same: four at a time first. */
static void runs_differing(Arena *a, uint32_t c, uint32_t end, const char *q)
{
    _Static_assert(ARENA_CHUNK == 16, "chunk_diff compares 16 bytes");
    const char *p = chunk_at(a, c);
    for (; c + 4 <= end; c += 4, p += 4 * ARENA_CHUNK, q += 4 * ARENA_CHUNK) {
        uint64_t d0 = chunk_diff(p, q), d1 = chunk_diff(p + 16, q + 16);
        uint64_t d2 = chunk_diff(p + 32, q + 32), d3 = chunk_diff(p + 48, q + 48);
        if (!(d0 | d1 | d2 | d3))
            continue;
        if (d0)
            run_add(a, c, 1);
        if (d1)
            run_add(a, c + 1, 1);
        if (d2)
            run_add(a, c + 2, 1);
        if (d3)
            run_add(a, c + 3, 1);
    }
    for (; c < end; c++, p += ARENA_CHUNK, q += ARENA_CHUNK)
        if (chunk_diff(p, q))
            run_add(a, c, 1);
}

/* A walk over a base image's runs, forward in chunk order. */
typedef struct BaseWalk {
    const ArenaRun *runs;
    const char *bytes;
    uint32_t n, i;
    size_t off; /* where run i's bytes start */
} BaseWalk;

static BaseWalk walk_of(const ArenaImage *base)
{
    if (!base)
        return (BaseWalk){0};
    return (BaseWalk){image_runs(base), image_bytes(base), base->nruns, 0, 0};
}

/* Move to the first run that ends after chunk c. */
static void walk_to(BaseWalk *w, uint32_t c)
{
    while (w->i < w->n && w->runs[w->i].chunk + w->runs[w->i].n <= c)
        w->off += (size_t)w->runs[w->i++].n * ARENA_CHUNK;
}

/* Copy the base's bytes back into those of chunks [c, end) it holds (c at or after the walk's last call). */
static void walk_put_back(Arena *a, BaseWalk *w, uint32_t c, uint32_t end)
{
    for (walk_to(w, c); c < end && w->i < w->n && w->runs[w->i].chunk < end; walk_to(w, c)) {
        const ArenaRun *r = &w->runs[w->i];
        uint32_t from = r->chunk > c ? r->chunk : c, to = r->chunk + r->n < end ? r->chunk + r->n : end;
        copy_chunks(chunk_at(a, from), w->bytes + w->off + (size_t)(from - r->chunk) * ARENA_CHUNK, to - from);
        c = to;
    }
}

/* The chunks of the live ranges (the heap's, then the stacks': in chunk order) into a->runs: all of them, or
 * (against a base) those that differ from the base. The base's chunks that are not live now (a block's dead tail, a
 * stack below its pointer) get the base's bytes back, as a restore of the image would give them: afterwards the arena
 * holds exactly what arena_restore of the image leaves, and a restore of another image against the same base needs
 * only to undo these chunks (arena_restore_changed). Returns the bytes all the live chunks hold (the image's span). */
static size_t image_runs_build(Arena *a, const ArenaImage *base)
{
    a->nruns = 0;
    a->nbytes = 0;
    size_t span = 0;
    BaseWalk cmp = walk_of(base), dead = walk_of(base);
    uint32_t done = 0; /* chunks below this were handled (two ranges can share a chunk) */
    for (size_t i = 0; i < a->nranges; i++) {
        uint32_t c = chunk_of(a, a->ranges[i].at);
        uint32_t end = chunk_of(a, a->ranges[i].at + a->ranges[i].len - 1) + 1;
        if (c < done) /* the last range ended inside this chunk */
            c = done;
        if (c >= end)
            continue;
        walk_put_back(a, &dead, done, c);
        span += (size_t)(end - c) * ARENA_CHUNK;
        done = end;
        while (c < end) {
            walk_to(&cmp, c);
            const ArenaRun *r = cmp.i < cmp.n ? &cmp.runs[cmp.i] : NULL;
            if (!r || r->chunk > c) { /* the base has none of these: all of them */
                uint32_t to = r && r->chunk < end ? r->chunk : end;
                run_add(a, c, to - c);
                c = to;
                continue;
            }
            uint32_t to = r->chunk + r->n < end ? r->chunk + r->n : end;
            runs_differing(a, c, to, cmp.bytes + cmp.off + (size_t)(c - r->chunk) * ARENA_CHUNK);
            c = to;
        }
    }
    walk_put_back(a, &dead, done, UINT32_MAX);
    return span;
}

/* The arena now holds what arena_restore(img) leaves: its base (or img itself, whole) and img's chunks over it. */
static void known_set(Arena *a, const ArenaImage *img)
{
    a->touched = false;
    memset(a->ran, 0, sizeof a->ran);
    a->known_image = img;
    a->known_base = img->base ? img->base : img;
    a->nknown = 0;
    if (!img->base)
        return;
    scratch_grow((void **)&a->known_runs, &a->cap_known, img->nruns, sizeof(ArenaRun));
    memcpy(a->known_runs, image_runs(img), sizeof(ArenaRun) * img->nruns);
    a->nknown = img->nruns;
}

/* Whether at is where a block's payload starts (arena_alloc's answer). */
static bool is_payload(const Arena *a, const char *at)
{
    if (!arena_owns(a, at))
        return false;
    size_t off = (size_t)(at - a->heap), idx = off >> a->region_log2;
    if (idx == 0) /* the book's region */
        return false;
    size_t in = off & (((size_t)1 << a->region_log2) - 1), block = (size_t)1 << (idx + ARENA_MIN_CLASS - 1);
    return in >= ARENA_HEADER_BYTES && (in - ARENA_HEADER_BYTES) % block == 0;
}

/* The owned regions as chunk intervals (whole chunks only), sorted, into a->owned. A fiber's region that starts at a
 * block's payload owns the block's header too: only its owner sets its live prefix (arena_set_live), and a restore
 * then skips the header with the block where the owner did not run, rather than copying it back as one more
 * one-chunk piece of what nobody owns. */
static void owned_chunks(Arena *a, const ArenaOwnedRegion *owned, int nowned)
{
    scratch_grow((void **)&a->owned, &a->cap_owned, (size_t)nowned + 2, sizeof(ArenaOwned));
    a->owned[0] = (ArenaOwned){0, (uint32_t)(BOOK_BYTES / ARENA_CHUNK), ARENA_CALLER_SLOT}; /* (book_written) */
    a->nowned = 1;
    for (int i = 0; i < nowned; i++) {
        const char *at = owned[i].at;
        size_t len = owned[i].len;
        bool in_stacks = at >= a->stacks && at < a->stacks + a->slot_bytes * (size_t)a->nslots;
        if (!arena_owns(a, at) && !in_stacks)
            continue;
        if (owned[i].stack && is_payload(a, at)) {
            at -= ARENA_HEADER_BYTES;
            len += ARENA_HEADER_BYTES;
        }
        size_t off = (uintptr_t)at % ARENA_CHUNK;
        uint32_t first = chunk_of(a, at);
        uint32_t lo = first + (off ? 1 : 0), hi = first + (uint32_t)((off + len) / ARENA_CHUNK);
        if (lo >= hi)
            continue;
        size_t j = a->nowned++;
        for (; j > 0 && a->owned[j - 1].lo > lo; j--)
            a->owned[j] = a->owned[j - 1];
        a->owned[j] = (ArenaOwned){lo, hi, (uint16_t)slot_of(a, owned[i].stack)};
    }
}

/* a->runs split where an owned interval starts or ends, into a->split, and each one's owner into a->owners (where
 * owned intervals overlap, the first one's). The bytes of the pieces are those of the runs, in the same order. */
static void runs_own(Arena *a)
{
    a->nsplit = 0;
    size_t k = 0;
    for (size_t i = 0; i < a->nruns; i++) {
        uint32_t c = a->runs[i].chunk, end = c + a->runs[i].n;
        while (c < end) {
            while (k < a->nowned && a->owned[k].hi <= c)
                k++;
            uint32_t to = end;
            uint16_t owner = ARENA_COMMON;
            if (k < a->nowned && a->owned[k].lo <= c) {
                owner = a->owned[k].slot;
                to = a->owned[k].hi < end ? a->owned[k].hi : end;
            } else if (k < a->nowned && a->owned[k].lo < end) {
                to = a->owned[k].lo;
            }
            scratch_grow((void **)&a->split, &a->cap_split, a->nsplit + 1, sizeof(ArenaRun));
            scratch_grow((void **)&a->owners, &a->cap_owners, a->nsplit + 1, sizeof(uint16_t));
            a->split[a->nsplit] = (ArenaRun){c, to - c};
            a->owners[a->nsplit++] = owner;
            c = to;
        }
    }
}

static int piece_order(const void *x, const void *y)
{
    const ArenaPiece *p = x, *q = y;
    if (p->owner != q->owner)
        return p->owner < q->owner ? -1 : 1;
    return p->chunk < q->chunk ? -1 : p->chunk > q->chunk;
}

/* a->split and a->owners as img's pieces, by owner. */
static void pieces_write(const Arena *a, ArenaImage *img)
{
    ArenaPiece *pieces = image_pieces(img);
    uint32_t off = 0;
    for (size_t i = 0; i < a->nsplit; i++) {
        pieces[i] = (ArenaPiece){a->split[i].chunk, a->split[i].n, off, a->owners[i]};
        off += a->split[i].n;
    }
    qsort(pieces, a->nsplit, sizeof *pieces, piece_order);
    ArenaGroup *groups = image_groups(img);
    img->ngroups = 0;
    for (uint32_t i = 0; i < a->nsplit; i++) {
        if (i == 0 || pieces[i].owner != pieces[i - 1].owner)
            groups[img->ngroups++] = (ArenaGroup){i, i, pieces[i].owner};
        groups[img->ngroups - 1].end = i + 1;
    }
}

static ArenaImage *save(Arena *a, const ArenaRegion *regions, int nregions, ArenaImage *reuse, const ArenaImage *base,
                        const ArenaOwnedRegion *owned, int nowned)
{
    if (base && base->base)
        arena_fail("a saved model checker state made against one that is not whole");
    a->nranges = 0;
    heap_ranges(a);
    stack_ranges(a, regions, nregions);
    size_t span = image_runs_build(a, base);
    bool owns = !base && nowned > 0;
    if (owns) {
        owned_chunks(a, owned, nowned);
        runs_own(a);
    }
    size_t nsplit = owns ? a->nsplit : 0;
    size_t need = sizeof(ArenaRun) * a->nruns + a->nbytes + (sizeof(ArenaPiece) + sizeof(ArenaGroup)) * nsplit;
    if (need > UINT32_MAX / 2 || span > UINT32_MAX)
        arena_fail("a saved model checker state too large");
    ArenaImage *img = reuse;
    if (!img || img->cap < need || img->cap > 2 * need + 64) { /* close to the need: budgets count it */
        arena_image_destroy(img);
        size_t bytes = slab_size(sizeof *img + need);
        img = slab_alloc(a->images, bytes);
        img->slab = a->images;
        img->cap = (uint32_t)(bytes - sizeof *img);
    }
    img->base = base;
    img->nsplit = (uint32_t)nsplit;
    img->ngroups = 0;
    img->owners = 0;
    img->nruns = (uint32_t)a->nruns;
    img->nbytes = (uint32_t)a->nbytes;
    img->span = (uint32_t)span;
    memcpy(image_runs(img), a->runs, sizeof(ArenaRun) * a->nruns);
    char *to = img->data + sizeof(ArenaRun) * a->nruns;
    for (size_t i = 0; i < a->nruns; i++) {
        copy_chunks(to, chunk_at(a, a->runs[i].chunk), a->runs[i].n);
        to += (size_t)a->runs[i].n * ARENA_CHUNK;
    }
    if (nsplit)
        pieces_write(a, img);
    if (current == a) { /* a writer may be running */
        a->known_base = NULL;
        a->known_image = NULL;
    } else {
        known_set(a, img);
    }
    return img;
}

ArenaImage *arena_save(Arena *a, const ArenaRegion *regions, int nregions, ArenaImage *reuse, const ArenaImage *base)
{
    return save(a, regions, nregions, reuse, base, NULL, 0);
}

ArenaImage *arena_save_whole(Arena *a, const ArenaRegion *regions, int nregions, const ArenaOwnedRegion *owned,
                             int nowned)
{
    return save(a, regions, nregions, NULL, NULL, owned, nowned);
}

static void restore_runs(Arena *a, const ArenaImage *img)
{
    const ArenaRun *runs = image_runs(img);
    const char *from = image_bytes(img);
    for (uint32_t i = 0; i < img->nruns; i++) {
        copy_chunks(chunk_at(a, runs[i].chunk), from, runs[i].n);
        from += (size_t)runs[i].n * ARENA_CHUNK;
    }
}

void arena_restore(Arena *a, const ArenaImage *img)
{
    if (img->base)
        restore_runs(a, img->base);
    restore_runs(a, img);
    known_set(a, img);
}

void arena_restore_changed(Arena *a, const ArenaImage *img)
{
    if (a->touched || current == a || !img->base || img->base != a->known_base) {
        arena_restore(a, img);
        return;
    }
    BaseWalk w = walk_of(img->base); /* the chunks the known image changed go back to the base, */
    for (size_t i = 0; i < a->nknown; i++)
        walk_put_back(a, &w, a->known_runs[i].chunk, a->known_runs[i].chunk + a->known_runs[i].n);
    restore_runs(a, img); /* then img's over them */
    known_set(a, img);
}

void arena_restore_sparing(Arena *a, const ArenaImage *img)
{
    const ArenaImage *b = img->base;
    if (!a->touched || current == a || !b || !b->nsplit || img != a->known_image || b != a->known_base ||
        !b->owners || img->owners != b->owners) {
        arena_restore_changed(a, img);
        return;
    }
    const ArenaPiece *pieces = image_pieces(b);
    const char *from = image_bytes(b);
    const ArenaGroup *groups = image_groups(b);
    for (uint32_t k = 0; k < b->ngroups; k++) { /* the base, but where no fiber that ran owns it */
        uint16_t o = groups[k].owner;
        if (o != ARENA_COMMON && !(a->ran[o / 64] >> (o % 64) & 1))
            continue;
        for (uint32_t i = groups[k].first; i < groups[k].end; i++)
            copy_chunks(chunk_at(a, pieces[i].chunk), from + (size_t)pieces[i].off * ARENA_CHUNK, pieces[i].n);
    }
    restore_runs(a, img); /* then img's chunks over it, as arena_restore does */
    known_set(a, img);
    if (a->verify && !arena_restore_verify(a, img))
        arena_fail("a restore that spared what a step did not write found it written (arena_restore_sparing)");
}

/* Whether img's runs hold what the arena holds, skipping the chunks that `over`'s runs hold (NULL: none). */
static bool runs_match(const Arena *a, const ArenaImage *img, const ArenaImage *over)
{
    const ArenaRun *runs = image_runs(img);
    const char *from = image_bytes(img);
    BaseWalk w = walk_of(over);
    for (uint32_t i = 0; i < img->nruns; i++) {
        for (uint32_t c = runs[i].chunk; c < runs[i].chunk + runs[i].n; c++, from += ARENA_CHUNK) {
            walk_to(&w, c);
            bool covered = w.i < w.n && w.runs[w.i].chunk <= c;
            if (!covered && memcmp(chunk_at(a, c), from, ARENA_CHUNK) != 0)
                return false;
        }
    }
    return true;
}

bool arena_restore_verify(const Arena *a, const ArenaImage *img)
{
    return runs_match(a, img, NULL) && (!img->base || runs_match(a, img->base, img));
}

void arena_image_set_owners(ArenaImage *img, uint64_t owners)
{
    img->owners = owners;
}

void arena_image_destroy(ArenaImage *img)
{
    if (img)
        slab_free(img->slab, img, sizeof *img + img->cap);
}

size_t arena_image_bytes(const ArenaImage *img)
{
    return img ? sizeof *img + img->cap : 0;
}

size_t arena_image_span(const ArenaImage *img)
{
    return img ? img->span : 0;
}
