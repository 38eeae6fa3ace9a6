/* The arena (src/util/arena.h): what a saved image puts back is exactly the state at the save — heap contents, the
 * allocator's own bookkeeping (memory allocated after the save is free again, freed memory allocated again), stack
 * slots, and a fiber suspended on an arena stack, which resumes from the save as it did the first time; and an image
 * saved against a base keeps only what differs from it, yet restores as exactly. xalloc
 * allocates in the current arena only between arena_enter and arena_leave. Where the build cannot save arenas (under
 * sanitizers) the tests are skipped: the model checker replays there instead. */
#include "util/arena.h"
#include "util/fiber.h"
#include "util/slab.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static Arena *arena_or_skip(void)
{
    if (!arena_supported())
        skip();
    Arena *a = arena_create();
    assert_non_null(a);
    return a;
}

static void test_xalloc_goes_to_the_current_arena(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    char *outside = xmalloc(32);
    assert_false(arena_owns(a, outside));
    Arena *outer = arena_enter(a);
    assert_ptr_equal(arena_current(), a);
    char *in = xmalloc(100);
    int *zeros = xcalloc(50, sizeof(int));
    char *copy = xstrdup("philosophers");
    assert_true(arena_owns(a, in));
    assert_true(arena_owns(a, zeros));
    assert_true(arena_owns(a, copy));
    for (int i = 0; i < 50; i++)
        assert_int_equal(zeros[i], 0);
    assert_string_equal(copy, "philosophers");
    outside = xrealloc(outside, 4096); /* memory of the C heap stays there, even inside */
    assert_false(arena_owns(a, outside));
    in = xrealloc(in, 5000);
    assert_true(arena_owns(a, in));
    xfree(copy);
    xfree(outside); /* C heap memory freed inside an arena goes back to the C heap */
    arena_leave(outer);
    assert_ptr_equal(arena_current(), outer);
    char *after = xmalloc(8);
    assert_false(arena_owns(a, after));
    free(after);
    arena_destroy(a);
}

static void test_restore_puts_back_contents_and_bookkeeping(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    int64_t *counter = arena_alloc(a, sizeof *counter);
    *counter = 7;
    char *name = arena_alloc(a, 16);
    strcpy(name, "before");
    size_t used = arena_used(a);
    ArenaImage *img = arena_save(a, NULL, 0, NULL, NULL);

    *counter = 99;
    strcpy(name, "after");
    char *later = arena_alloc(a, 3000); /* allocated after the save: free again once restored */
    memset(later, 'x', 3000);
    arena_free(a, name);
    assert_true(arena_used(a) > used);

    arena_restore(a, img);
    assert_int_equal(*counter, 7);
    assert_string_equal(name, "before");
    assert_int_equal(arena_used(a), used);
    char *again = arena_alloc(a, 3000); /* the bump pointer went back: the same block is cut again */
    assert_ptr_equal(again, later);
    char *other = arena_alloc(a, 16); /* name was not freed in the saved state: a new block, not name's */
    assert_ptr_not_equal(other, name);

    arena_restore(a, img); /* an image can be restored any number of times */
    assert_int_equal(*counter, 7);
    assert_int_equal(arena_used(a), used);
    arena_image_destroy(img);
    arena_destroy(a);
}

static void test_freed_memory_is_reused_and_restored_free(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    char *x = arena_alloc(a, 40);
    arena_free(a, x);
    ArenaImage *img = arena_save(a, NULL, 0, NULL, NULL); /* x is on the free list here */
    char *y = arena_alloc(a, 40);
    assert_ptr_equal(y, x);
    arena_restore(a, img);
    char *z = arena_alloc(a, 40); /* free again after the restore */
    assert_ptr_equal(z, x);
    arena_image_destroy(img);
    arena_destroy(a);
}

static void test_live_prefix_only_is_saved(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    Arena *outer = arena_enter(a);
    int64_t *stack = xcalloc(1000, sizeof *stack);
    arena_set_live(stack, 10 * sizeof *stack); /* beyond the tenth slot nothing is read before it is written */
    for (int i = 0; i < 10; i++)
        stack[i] = i + 1;
    ArenaImage *small = arena_save(a, NULL, 0, NULL, NULL);
    arena_set_live(stack, 1000 * sizeof *stack);
    ArenaImage *full = arena_save(a, NULL, 0, NULL, NULL);
    assert_true(arena_image_bytes(small) + 900 * sizeof *stack < arena_image_bytes(full));
    for (int i = 0; i < 10; i++)
        stack[i] = -1;
    arena_restore(a, small);
    for (int i = 0; i < 10; i++)
        assert_int_equal(stack[i], i + 1);
    arena_leave(outer);
    arena_image_destroy(small);
    arena_image_destroy(full);
    arena_destroy(a);
}

static void test_save_over_an_old_image(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    int *v = arena_alloc(a, sizeof *v);
    *v = 1;
    ArenaImage *img = arena_save(a, NULL, 0, NULL, NULL);
    *v = 2;
    img = arena_save(a, NULL, 0, img, NULL); /* reused: now the state with 2 */
    *v = 3;
    arena_restore(a, img);
    assert_int_equal(*v, 2);
    arena_image_destroy(img);
    arena_destroy(a);
}

/* A fiber that counts on its own stack and in the heap, yielding after each count. */
typedef struct Counter {
    Fiber *self;
    int64_t *heap_total;
    int64_t seen[64];
    int nseen;
} Counter;

static void count(void *arg)
{
    Counter *c = arg;
    int64_t on_stack = 0;
    for (int i = 0; i < 20; i++) {
        on_stack += i;
        *c->heap_total += 10;
        c->seen[c->nseen++] = on_stack * 1000 + *c->heap_total;
        fiber_yield(c->self);
    }
}

static void test_a_fiber_resumes_from_the_save(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    Arena *outer = arena_enter(a);
    Counter *c = xcalloc(1, sizeof *c);
    c->heap_total = xcalloc(1, sizeof *c->heap_total);
    c->self = fiber_create(count, c, 0);
    arena_leave(outer);
    assert_true(arena_owns(a, c) && arena_owns(a, c->heap_total));
    for (int i = 0; i < 5; i++)
        fiber_resume(c->self);
    ArenaRegion r;
    r.len = fiber_stack_live(c->self, &r.at);
    assert_true(r.len > 0 && r.len < 64 * 1024); /* the live part, not the whole megabyte */
    ArenaImage *img = arena_save(a, &r, 1, NULL, NULL);
    for (int i = 0; i < 7; i++)
        fiber_resume(c->self);
    int64_t first[64];
    int nfirst = c->nseen;
    memcpy(first, c->seen, sizeof first);
    assert_int_equal(nfirst, 12);

    arena_restore(a, img); /* back to 5 counts: the fiber's locals and the heap both go back */
    assert_int_equal(c->nseen, 5);
    for (int i = 0; i < 7; i++)
        fiber_resume(c->self);
    assert_int_equal(c->nseen, nfirst);
    for (int i = 0; i < nfirst; i++)
        assert_int_equal(c->seen[i], first[i]);
    arena_image_destroy(img);
    arena_destroy(a); /* the fiber, its stack and the counter go with the arena */
}

/* A counting fiber on a stack of arena a. */
static Counter *counter_in(Arena *a)
{
    Arena *outer = arena_enter(a);
    Counter *c = xcalloc(1, sizeof *c);
    c->heap_total = xcalloc(1, sizeof *c->heap_total);
    c->self = fiber_create(count, c, 0);
    arena_leave(outer);
    return c;
}

static ArenaRegion live_of(const Counter *c)
{
    ArenaRegion r;
    r.len = fiber_stack_live(c->self, &r.at);
    return r;
}

/* Two counting fibers that own their stacks, records and totals, a block nobody owns and one the caller owns (no
 * stack): a base saved whole with those owners after three counts each, and an image against it after four. */
typedef struct Owners {
    Counter *c[2];
    int64_t *shared, *fixed;
    ArenaImage *base, *img;
} Owners;

static void owners_saved(Arena *a, Owners *o)
{
    o->c[0] = counter_in(a);
    o->c[1] = counter_in(a);
    Arena *outer = arena_enter(a);
    o->shared = xcalloc(4, sizeof(int64_t));
    o->fixed = xcalloc(4, sizeof(int64_t));
    arena_leave(outer);
    ArenaOwnedRegion owned[7];
    owned[6] = (ArenaOwnedRegion){o->fixed, arena_block_bytes(o->fixed), NULL};
    for (int i = 0; i < 2; i++) {
        Counter *c = o->c[i];
        size_t bytes;
        const char *stack = fiber_stack(c->self, &bytes);
        owned[3 * i] = (ArenaOwnedRegion){stack, bytes, stack};
        owned[3 * i + 1] = (ArenaOwnedRegion){c, arena_block_bytes(c), stack};
        owned[3 * i + 2] = (ArenaOwnedRegion){c->heap_total, arena_block_bytes(c->heap_total), stack};
        for (int k = 0; k < 3; k++)
            fiber_resume(c->self);
    }
    ArenaRegion r[2] = {live_of(o->c[0]), live_of(o->c[1])};
    o->base = arena_save_whole(a, r, 2, owned, 7);
    fiber_resume(o->c[0]->self);
    fiber_resume(o->c[1]->self);
    r[0] = live_of(o->c[0]);
    r[1] = live_of(o->c[1]);
    o->img = arena_save(a, r, 2, NULL, o->base); /* the arena knows it holds img's state */
    arena_image_set_owners(o->base, 7); /* the same owners */
    arena_image_set_owners(o->img, 7);
}

/* A step: the first fiber counts, and the block nobody owns is written. */
static void owners_step(Arena *a, Owners *o)
{
    fiber_resume(o->c[0]->self);
    Arena *outer = arena_enter(a);
    o->shared[0] = 99;
    arena_leave(outer);
}

/* After a step in which only the first fiber ran, arena_restore_sparing puts back exactly the saved state (the base
 * copied back where nobody or the first fiber owns it, then the image's chunks), and the fiber counts on from there
 * as it did the first time. */
static void test_restore_sparing_is_exact(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    Owners o;
    owners_saved(a, &o);
    owners_step(a, &o);
    int64_t fifth = o.c[0]->seen[4];
    for (int round = 0; round < 3; round++) {
        arena_restore_sparing(a, o.img);
        assert_true(arena_restore_verify(a, o.img));
        for (int i = 0; i < 2; i++) {
            assert_int_equal(o.c[i]->nseen, 4);
            assert_int_equal(*o.c[i]->heap_total, 40);
        }
        assert_int_equal(o.shared[0], 0);
        owners_step(a, &o);
        assert_int_equal(o.c[0]->seen[4], fifth);
    }
    arena_image_destroy(o.img);
    arena_image_destroy(o.base);
    arena_destroy(a);
}

/* In a child process, on an arena created with LOCKSTEP_ARENA_CHECK set to check: a step, then a write to what a
 * fiber that did not run owns, then a sparing restore. Its exit status: XALLOC_EXIT_STATUS when the restore's check
 * caught it, 7 when the restore left the write and arena_restore_verify says so. */
static int broken_promise_status(const char *check)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("LOCKSTEP_ARENA_CHECK", check, 1);
        Arena *a = arena_create();
        if (!a)
            _exit(0);
        Owners o;
        owners_saved(a, &o);
        owners_step(a, &o);
        Arena *outer = arena_enter(a);
        o.c[1]->seen[0] = -1; /* the second fiber's, and it did not run */
        arena_leave(outer);
        arena_restore_sparing(a, o.img);
        bool left = o.c[1]->seen[0] == -1 && !arena_restore_verify(a, o.img);
        arena_restore(a, o.img); /* a whole restore puts it right */
        _exit(left && arena_restore_verify(a, o.img) ? 7 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* A write to what a fiber that did not run owns breaks arena_restore_sparing's promise: the restore leaves it, and
 * arena_restore_verify says so; with LOCKSTEP_ARENA_CHECK (the test suite's environment) the restore catches it and
 * exits, and without it (a user's run: the check costs more than the search) it does not look. */
static void test_restore_sparing_check_sees_a_broken_promise(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    arena_destroy(a);
    assert_int_equal(broken_promise_status("1"), XALLOC_EXIT_STATUS);
    assert_int_equal(broken_promise_status("0"), 7);
    assert_int_equal(broken_promise_status(""), 7);
}

/* A fiber that did not run, whose record another wrote and said so (fiber_written: a waker's hand-off), is put
 * back as if it had run. */
static void test_restore_sparing_puts_back_what_was_said_written(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    Owners o;
    owners_saved(a, &o);
    owners_step(a, &o);
    Arena *outer = arena_enter(a);
    o.c[1]->seen[0] = -1;
    arena_leave(outer);
    fiber_written(o.c[1]->self);
    arena_restore_sparing(a, o.img); /* (the test suite's LOCKSTEP_ARENA_CHECK: a restore that left it would exit) */
    assert_true(arena_restore_verify(a, o.img));
    assert_int_not_equal(o.c[1]->seen[0], -1);
    arena_image_destroy(o.img);
    arena_image_destroy(o.base);
    arena_destroy(a);
}

/* What the caller owns (no stack) is left alone by a sparing restore, written or not, until the caller says it wrote
 * it (arena_stack_ran with no stack); then it is put back. */
static void test_restore_sparing_puts_back_the_callers_own_when_told(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    arena_destroy(a);
    char *check = getenv("LOCKSTEP_ARENA_CHECK") ? xstrdup(getenv("LOCKSTEP_ARENA_CHECK")) : NULL;
    setenv("LOCKSTEP_ARENA_CHECK", "0", 1); /* the unsaid write below breaks the promise on purpose */
    a = arena_create();
    if (check)
        setenv("LOCKSTEP_ARENA_CHECK", check, 1);
    else
        unsetenv("LOCKSTEP_ARENA_CHECK");
    xfree(check);
    Owners o;
    owners_saved(a, &o);
    owners_step(a, &o);
    Arena *outer = arena_enter(a);
    o.fixed[0] = 5;
    arena_leave(outer);
    arena_restore_sparing(a, o.img);
    assert_int_equal(o.fixed[0], 5); /* not said: left alone */
    assert_false(arena_restore_verify(a, o.img));
    arena_restore(a, o.img);
    owners_step(a, &o);
    outer = arena_enter(a);
    o.fixed[0] = 5;
    arena_leave(outer);
    uint64_t bit, *word = arena_stack_ran(a, NULL, &bit);
    *word |= bit;
    arena_restore_sparing(a, o.img);
    assert_int_equal(o.fixed[0], 0);
    assert_true(arena_restore_verify(a, o.img));
    arena_image_destroy(o.img);
    arena_image_destroy(o.base);
    arena_destroy(a);
}

/* A state whose owners differ from its base's (another thread's blocks where the base's owner's were: freed blocks
 * are reused) is restored whole: what an idle fiber owns in the base is put back too. */
static void test_restore_sparing_needs_the_same_owners(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    Owners o;
    owners_saved(a, &o);
    arena_image_set_owners(o.img, 8);
    owners_step(a, &o);
    Arena *outer = arena_enter(a);
    o.c[1]->seen[0] = -1; /* in this state, written by a step that did not run the base's owner */
    arena_leave(outer);
    arena_restore_sparing(a, o.img);
    assert_true(arena_restore_verify(a, o.img));
    assert_int_not_equal(o.c[1]->seen[0], -1);
    arena_image_destroy(o.img);
    arena_image_destroy(o.base);
    arena_destroy(a);
}

static void test_stack_slots_come_back(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    char *s1 = arena_stack_alloc(a);
    ArenaImage *img = arena_save(a, NULL, 0, NULL, NULL);
    char *s2 = arena_stack_alloc(a);
    assert_ptr_not_equal(s1, s2);
    arena_restore(a, img); /* s2 is free again */
    assert_ptr_equal(arena_stack_alloc(a), s2);
    arena_stack_free(a, s1);
    assert_ptr_equal(arena_stack_alloc(a), s1);
    arena_image_destroy(img);
    arena_destroy(a);
}

/* Against a base, an image keeps the chunks that differ only, and restores exactly: what the base holds, what changed
 * since, the allocator's bookkeeping, whatever the arena went through in between. */
static void test_an_image_against_a_base_keeps_what_differs(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    int64_t *big = arena_alloc(a, 4096 * sizeof *big);
    for (int i = 0; i < 4096; i++)
        big[i] = i;
    char *name = arena_alloc(a, 16);
    strcpy(name, "base");
    ArenaImage *base = arena_save(a, NULL, 0, NULL, NULL);

    big[1000] = -1; /* one word changed, one block allocated, one freed */
    int64_t *more = arena_alloc(a, 100 * sizeof *more);
    for (int i = 0; i < 100; i++)
        more[i] = 7 * i;
    arena_free(a, name);
    size_t used = arena_used(a);
    ArenaImage *delta = arena_save(a, NULL, 0, NULL, base);
    assert_true(arena_image_span(delta) >= 4096 * sizeof *big);
    assert_true(arena_image_bytes(delta) * 8 < arena_image_bytes(base)); /* a few chunks, not the 32 KB block */

    for (int i = 0; i < 4096; i++) /* the arena changes everywhere in between */
        big[i] = -i;
    more[5] = 0;
    char *other = arena_alloc(a, 16);
    assert_ptr_equal(other, name); /* name's free block, taken again */
    strcpy(other, "other");
    arena_alloc(a, 50000);

    arena_restore(a, delta);
    for (int i = 0; i < 4096; i++)
        assert_int_equal(big[i], i == 1000 ? -1 : i);
    for (int i = 0; i < 100; i++)
        assert_int_equal(more[i], 7 * i);
    assert_int_equal(arena_used(a), used);
    assert_ptr_equal(arena_alloc(a, 16), name); /* free in the delta's state: the same block again */

    arena_restore(a, base); /* the base is still whole */
    assert_int_equal(big[1000], 1000);
    assert_string_equal(name, "base");
    assert_true(arena_used(a) < used);

    delta = arena_save(a, NULL, 0, delta, base); /* saved over: the base's own state differs from it in nothing */
    assert_true(arena_image_bytes(delta) < 256);
    big[0] = 42;
    arena_restore(a, delta);
    assert_int_equal(big[0], 0);
    arena_image_destroy(delta);
    arena_image_destroy(base);
    arena_destroy(a);
}

/* A fiber's stack against a base: the stack is part of what is compared, and comes back exactly. */
static void test_a_fiber_resumes_from_an_image_against_a_base(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    Arena *outer = arena_enter(a);
    Counter *c = xcalloc(1, sizeof *c);
    c->heap_total = xcalloc(1, sizeof *c->heap_total);
    c->self = fiber_create(count, c, 0);
    arena_leave(outer);
    fiber_resume(c->self);
    ArenaRegion r;
    r.len = fiber_stack_live(c->self, &r.at);
    ArenaImage *base = arena_save(a, &r, 1, NULL, NULL);
    for (int i = 0; i < 4; i++)
        fiber_resume(c->self);
    r.len = fiber_stack_live(c->self, &r.at);
    ArenaImage *img = arena_save(a, &r, 1, NULL, base);
    assert_true(arena_image_bytes(img) < arena_image_bytes(base));
    for (int i = 0; i < 7; i++)
        fiber_resume(c->self);
    int64_t first[64];
    int nfirst = c->nseen;
    memcpy(first, c->seen, sizeof first);

    arena_restore(a, img);
    assert_int_equal(c->nseen, 5);
    for (int i = 0; i < 7; i++)
        fiber_resume(c->self);
    assert_int_equal(c->nseen, nfirst);
    for (int i = 0; i < nfirst; i++)
        assert_int_equal(c->seen[i], first[i]);
    arena_restore(a, base); /* and back to the first count */
    assert_int_equal(c->nseen, 1);
    fiber_resume(c->self);
    assert_int_equal(c->seen[1], first[1]);
    arena_image_destroy(img);
    arena_image_destroy(base);
    arena_destroy(a);
}

/* Blocks of different sizes come from regions of their own: allocating them in another order gives the same
 * layout and the same addresses, so states reached by different paths can be compared piece by piece. */
static void test_allocation_order_does_not_change_the_layout(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    Arena *b = arena_create();
    char *a_small = arena_alloc(a, 24);
    char *a_big = arena_alloc(a, 3000);
    char *b_big = arena_alloc(b, 3000);
    char *b_small = arena_alloc(b, 24);
    assert_true(arena_layout(a) == arena_layout(b));
    assert_int_equal(arena_used(a), arena_used(b));
    assert_true(a_small - (char *)a_big == b_small - (char *)b_big); /* the same places in either arena */
    arena_alloc(a, 24);
    assert_false(arena_layout(a) == arena_layout(b));
    arena_destroy(a);
    arena_destroy(b);
}

/* Set v's live prefix to `words` (inside the arena, as a run does). */
static void set_live_words(Arena *a, int64_t *v, size_t words)
{
    Arena *outer = arena_enter(a);
    arena_set_live(v, words * sizeof *v);
    arena_leave(outer);
}

/* arena_restore_changed after a save or a restore copies back only the chunks of the image the arena holds and those
 * of the new one: exact all the same, the base's bytes where the image the arena held had dead ones (a save against
 * a base puts them back), and a whole restore once anything wrote the arena. */
static void test_restore_changed_puts_back_what_differs(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    int64_t *v = arena_alloc(a, 512 * sizeof *v);
    for (int i = 0; i < 512; i++)
        v[i] = i;
    ArenaImage *base = arena_save(a, NULL, 0, NULL, NULL);
    v[20] = -20;
    ArenaImage *y = arena_save(a, NULL, 0, NULL, base);
    set_live_words(a, v, 64); /* in x only the first 64 words matter, */
    v[20] = 20;
    v[10] = -10;
    for (int i = 64; i < 512; i++) /* and the rest is dead */
        v[i] = 999;
    ArenaImage *x = arena_save(a, NULL, 0, NULL, base);
    assert_int_equal(v[100], 100); /* the save put the base's bytes back where x's are dead */

    arena_restore_changed(a, y); /* the arena holds x: x's chunks back to the base, then y's */
    for (int i = 0; i < 512; i++)
        assert_int_equal(v[i], i == 20 ? -20 : i);
    arena_restore_changed(a, x);
    for (int i = 0; i < 64; i++)
        assert_int_equal(v[i], i == 10 ? -10 : i);

    Arena *outer = arena_enter(a); /* written by a run: the next restore is whole */
    v[30] = -30;
    arena_leave(outer);
    arena_restore_changed(a, y);
    for (int i = 0; i < 512; i++)
        assert_int_equal(v[i], i == 20 ? -20 : i);
    arena_alloc(a, 100); /* so is an allocation */
    v[40] = -40;
    arena_restore_changed(a, x);
    for (int i = 0; i < 64; i++)
        assert_int_equal(v[i], i == 10 ? -10 : i);
    arena_image_destroy(x);
    arena_image_destroy(y);
    arena_image_destroy(base);
    arena_destroy(a);
}

enum { RC_BLOCKS = 5, RC_STATES = 12, RC_MAX_WORDS = 700 };

/* One state of the blocks of test_restore_changed_is_exact: each block's live prefix and its words. */
typedef struct RcState {
    size_t live[RC_BLOCKS];
    int64_t words[RC_BLOCKS][RC_MAX_WORDS];
    ArenaImage *img;
} RcState;

static uint64_t rc_next(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
    return *seed >> 33;
}

/* A run's step: some words changed anywhere in the blocks, live or dead, and live prefixes moved. */
static void rc_scribble(Arena *a, int64_t **blocks, const size_t *sizes, uint64_t *seed)
{
    Arena *outer = arena_enter(a);
    for (int n = (int)(rc_next(seed) % 6); n >= 0; n--) {
        int k = (int)(rc_next(seed) % RC_BLOCKS);
        blocks[k][rc_next(seed) % sizes[k]] = (int64_t)rc_next(seed);
        if (rc_next(seed) % 4 == 0)
            arena_set_live(blocks[k], (1 + rc_next(seed) % sizes[k]) * sizeof(int64_t));
    }
    arena_leave(outer);
}

static void rc_check(int64_t **blocks, const RcState *s)
{
    for (int k = 0; k < RC_BLOCKS; k++)
        assert_memory_equal(blocks[k], s->words[k], s->live[k] * sizeof(int64_t));
}

/* Random states against one base and random restores between them, with and without the arena written in between:
 * every restore gives each block's live words exactly. */
static void test_restore_changed_is_exact(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    const size_t sizes[RC_BLOCKS] = {3, 40, 150, 333, RC_MAX_WORDS};
    int64_t *blocks[RC_BLOCKS];
    for (int k = 0; k < RC_BLOCKS; k++) {
        blocks[k] = arena_alloc(a, sizes[k] * sizeof(int64_t));
        for (size_t i = 0; i < sizes[k]; i++)
            blocks[k][i] = (int64_t)(k * 1000 + i);
    }
    ArenaImage *base = arena_save(a, NULL, 0, NULL, NULL);
    static RcState states[RC_STATES];
    uint64_t seed = 12345;
    for (int s = 0; s < RC_STATES; s++) {
        rc_scribble(a, blocks, sizes, &seed);
        size_t live[RC_BLOCKS];
        Arena *outer = arena_enter(a);
        for (int k = 0; k < RC_BLOCKS; k++) {
            live[k] = 1 + rc_next(&seed) % sizes[k];
            arena_set_live(blocks[k], live[k] * sizeof(int64_t));
        }
        arena_leave(outer);
        states[s].img = arena_save(a, NULL, 0, NULL, base);
        for (int k = 0; k < RC_BLOCKS; k++) {
            states[s].live[k] = live[k];
            memcpy(states[s].words[k], blocks[k], live[k] * sizeof(int64_t));
        }
    }
    for (int round = 0; round < 2000; round++) {
        int s = (int)(rc_next(&seed) % RC_STATES);
        if (rc_next(&seed) % 3 == 0)
            rc_scribble(a, blocks, sizes, &seed);
        if (rc_next(&seed) % 8 == 0)
            arena_restore(a, states[s].img);
        else
            arena_restore_changed(a, states[s].img);
        rc_check(blocks, &states[s]);
        if (rc_next(&seed) % 5 == 0) { /* saved over again from here: the same state, and the arena knows it */
            states[s].img = arena_save(a, NULL, 0, states[s].img, base);
            rc_check(blocks, &states[s]);
        }
    }
    for (int s = 0; s < RC_STATES; s++)
        arena_image_destroy(states[s].img);
    arena_image_destroy(base);
    arena_destroy(a);
}

/* Images come from the arena's slab (util/slab.h): what an image reports is its whole block, a reused one stays
 * where it is when it still fits, and an image may outlive its arena. */
static void test_image_memory(void **state)
{
    (void)state;
    Arena *a = arena_or_skip();
    int64_t *v = arena_alloc(a, 100 * sizeof *v);
    memset(v, 1, 100 * sizeof *v);
    ArenaImage *img = arena_save(a, NULL, 0, NULL, NULL);
    size_t bytes = arena_image_bytes(img);
    assert_true(bytes >= arena_image_span(img));
    assert_int_equal(bytes, slab_size(bytes));
    v[3] = 0;
    ArenaImage *again = arena_save(a, NULL, 0, img, NULL);
    assert_ptr_equal(again, img);
    assert_int_equal(arena_image_bytes(again), bytes);
    arena_destroy(a);
    arena_image_destroy(again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xalloc_goes_to_the_current_arena),
        cmocka_unit_test(test_restore_puts_back_contents_and_bookkeeping),
        cmocka_unit_test(test_freed_memory_is_reused_and_restored_free),
        cmocka_unit_test(test_live_prefix_only_is_saved),
        cmocka_unit_test(test_save_over_an_old_image),
        cmocka_unit_test(test_a_fiber_resumes_from_the_save),
        cmocka_unit_test(test_stack_slots_come_back),
        cmocka_unit_test(test_an_image_against_a_base_keeps_what_differs),
        cmocka_unit_test(test_a_fiber_resumes_from_an_image_against_a_base),
        cmocka_unit_test(test_restore_changed_puts_back_what_differs),
        cmocka_unit_test(test_restore_changed_is_exact),
        cmocka_unit_test(test_image_memory),
        cmocka_unit_test(test_restore_sparing_is_exact),
        cmocka_unit_test(test_restore_sparing_check_sees_a_broken_promise),
        cmocka_unit_test(test_restore_sparing_needs_the_same_owners),
        cmocka_unit_test(test_restore_sparing_puts_back_what_was_said_written),
        cmocka_unit_test(test_restore_sparing_puts_back_the_callers_own_when_told),
        cmocka_unit_test(test_allocation_order_does_not_change_the_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
