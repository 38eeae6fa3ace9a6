/* arena: a heap whose whole contents can be saved and put back, for the model checker. A cooperative run
 * (runtime/rt.h, RtConfig.restorable) allocates everything it owns here — its structures, every thread's interpreter
 * state and its fiber stacks — so that the state a search must come back to is saved by copying the arena's used
 * bytes and the live part of each stack, and restored by copying them back: microseconds, where replaying the
 * state's schedule on a fresh run took a step per step of the schedule.
 *
 * The arena is one reserved range of addresses (nothing is committed until touched; smaller where the address space
 * is limited) that never moves, so every
 * pointer inside a saved image is still right when the image is put back. Its bookkeeping (the bump pointer, the
 * free lists, which stacks are in use) lives inside the range, so a restore puts it back too: memory allocated after
 * the save is simply free again.
 *
 * Allocation goes through xalloc: between arena_enter and arena_leave, xmalloc & co. on this OS thread allocate
 * here, and xfree/xrealloc recognise arena memory by its address. Stacks come from a second reserved range, in fixed
 * slots with a guard page each (arena_stack_alloc). Saving copies the heap's live bytes plus the regions the caller
 * names (the stacks' live parts; it knows where each fiber's stack pointer is), whole or as the chunks that differ
 * from a base image: a search keeps thousands of images that differ from each other in a few places.
 *
 * Not under AddressSanitizer or ThreadSanitizer (arena_supported is false): both keep shadow state about stacks that
 * a copied-back stack would contradict. The model checker then replays instead. */
#ifndef LOCKSTEP_ARENA_H
#define LOCKSTEP_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Arena Arena;
typedef struct ArenaImage ArenaImage;

/* A range of stack memory to save along with the heap. */
typedef struct ArenaRegion {
    const void *at;
    size_t len;
} ArenaRegion;

/* Whether this build can save and restore arenas (false under sanitizers and without our own fiber switch). */
bool arena_supported(void);
/* Whether LOCKSTEP_ARENA_CHECK (set, not "0") asks for the checks that cost more than the search: the arena's of its
 * restores, and its users' of what they cache in it. The test suite sets it. */
bool arena_checks_asked(void);

/* An empty arena; NULL when !arena_supported(), or when a limit on the address space (ulimit -v) leaves no room for
 * one in a quarter of what it leaves free (a smaller arena is reserved where the largest does not fit): the caller
 * then does without (the model checker replays). */
Arena *arena_create(void);
/* NULL-safe; every allocation in it, stacks included, goes with it (its images may outlive it). */
void arena_destroy(Arena *a);

/* Allocate in a from now on, on this OS thread; returns the arena that was current before (for arena_leave). */
Arena *arena_enter(Arena *a);
void arena_leave(Arena *previous);
/* The arena this OS thread allocates in, or NULL. */
Arena *arena_current(void);
/* a's memory was written outside arena_enter (a cache kept in it): arena_restore_changed restores it whole. NULL-safe. */
void arena_touch(Arena *a);

void *arena_alloc(Arena *a, size_t size);
void *arena_realloc(Arena *a, void *p, size_t size);
void arena_free(Arena *a, void *p);
bool arena_owns(const Arena *a, const void *p);
/* Only the first `bytes` of block p matter to saved states: what lies beyond is never read before it is written (an
 * interpreter's stacks above their high-water mark). A no-op for memory outside the current arena. */
void arena_set_live(void *p, size_t bytes);

/* A stack of at most ARENA_STACK_BYTES, below it a guard page; NULL when every slot is taken. */
enum { ARENA_STACK_BYTES = 1 << 20, ARENA_STACK_SLOTS = 256 };
char *arena_stack_alloc(Arena *a);
void arena_stack_free(Arena *a, char *stack);

/* Save the heap and the given regions (which must lie in the arena's stacks), into `reuse` (an image no longer
 * needed: its memory is used again) or a new image; put them back with arena_restore.
 *
 * With a base (a whole image of the same arena, saved with base NULL) the image keeps only what differs from it, in
 * chunks of 16 bytes: a state a few steps from the base costs a few chunks instead of the whole heap. The base must
 * outlive every image saved against it; restoring such an image puts the base back, then the chunks. A save against a
 * base writes the arena where it is dead (never read before written): the base's bytes go back there. */
ArenaImage *arena_save(Arena *a, const ArenaRegion *regions, int nregions, ArenaImage *reuse, const ArenaImage *base);
void arena_restore(Arena *a, const ArenaImage *img);
/* As arena_restore, but copying only what differs from what the arena holds, when it knows: right after a save or a
 * restore against the same base, it holds the base with that image's chunks over it (a save against a base puts the
 * base's bytes back where they are no longer live), so only that image's chunks go back to the base before img's
 * are copied. It knows until it is written: by anything between arena_enter and arena_leave, or arena_alloc & co.
 * The caller promises that nothing else writes the arena's memory in between (a plain pointer write would not be
 * undone); otherwise it restores as arena_restore does. */
void arena_restore_changed(Arena *a, const ArenaImage *img);
/* A whole image (arena_save with no base) whose owned regions are written only by the fiber on their stack (one
 * from arena_stack_alloc: util/fiber.c says when it runs, arena_stack_ran), or with no stack (NULL), by the caller
 * only where it says so (arena_stack_ran with no stack). Images saved against it can be restored with
 * arena_restore_sparing. */
typedef struct ArenaOwnedRegion {
    const void *at;
    size_t len;
    const char *stack;
} ArenaOwnedRegion;
ArenaImage *arena_save_whole(Arena *a, const ArenaRegion *regions, int nregions, const ArenaOwnedRegion *owned,
                             int nowned);
/* As arena_restore_changed, and after writes too: when the arena holds img's state but for what was written since
 * (a model checker's step from it), and img's base was saved whole with owners and both have the same owners'
 * signature (arena_image_set_owners), the base goes back only where no fiber that has not run since owns it (a step
 * writes what the thread that ran and the threads it woke own, and the objects, not the stacks, records and
 * interpreters of the others), and the caller's own regions (and the allocator's book) only if it said it wrote them
 * (or allocated or freed), then img's chunks. Otherwise as arena_restore_changed. The caller promises what
 * arena_save_whole was told: an owned region is written only while its fiber runs, and is never freed. With LOCKSTEP_ARENA_CHECK set in
 * the environment when the arena was created (the test suite sets it), it checks afterwards that the arena holds what
 * arena_restore would have left (arena_restore_verify), and exits if not: a check that costs more than the search
 * (2.5x the CPU of an unreduced search), which the window's and the command's users do not pay. */
void arena_restore_sparing(Arena *a, const ArenaImage *img);
/* A signature of which blocks which stack slots owned when img was saved (nonzero), that the caller computes alike for
 * every image: arena_restore_sparing trusts a base's owners for an image only where both have the same. (Two states
 * with the same heap layout may hold a thread's blocks at different addresses: freed blocks are reused.) */
void arena_image_set_owners(ArenaImage *img, uint64_t owners);
/* Whether the arena holds what arena_restore(img) leaves, on every chunk that img and its base hold. */
bool arena_restore_verify(const Arena *a, const ArenaImage *img);
/* Where the arena learns that the fiber on this stack (from arena_stack_alloc) ran, and may have written its stack and
 * what it owns: the caller sets *bit in the word returned whenever it runs the fiber (util/fiber.c). With no stack
 * (NULL): where it learns that the regions owned with no stack were written. */
uint64_t *arena_stack_ran(Arena *a, const char *stack, uint64_t *bit);
/* The payload bytes of block p (arena_alloc's), at least what was asked for. */
size_t arena_block_bytes(const void *p);
void arena_image_destroy(ArenaImage *img);
/* The memory an image takes (its block of the arena's slab, util/slab.h, where images are allocated). */
size_t arena_image_bytes(const ArenaImage *img);
/* What a whole image of the same state would hold (its bytes of heap and stacks): with arena_image_bytes, how much
 * a base saved. */
size_t arena_image_span(const ArenaImage *img);
/* The heap bytes in use (up to the bump pointer). */
size_t arena_used(const Arena *a);
/* A hash of where the heap's blocks lie and their sizes: two states with the same layout hold the same structures at
 * the same addresses (mostly), so an image of one saved against the other is small. */
uint64_t arena_layout(const Arena *a);

#endif
