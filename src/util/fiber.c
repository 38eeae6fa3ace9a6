/* fiber: coroutines (see fiber.h). On x86-64 a switch is a dozen instructions of our own (callee-saved registers
 * pushed, stack pointer swapped): swapcontext also saves and restores the signal mask, a system call on every switch,
 * which made it most of the model checker's time. Elsewhere ucontext does it (makecontext passes only ints, so the
 * fiber's address travels as two halves). Stacks are kept for reuse by the OS thread that freed them (a model
 * checker run creates and destroys its fibers thousands of times; an munmap costs a TLB shootdown on every core).
 * The sanitizer hooks are declared here rather than included, so that a plain build needs no sanitizer headers. */
#include "util/fiber.h"

#include "util/arena.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__x86_64__)
#define LS_OWN_SWITCH 1
#else
#define LS_OWN_SWITCH 0
#endif

#if LS_ASAN
void __asan_unpoison_memory_region(const volatile void *addr, size_t size);
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);
#endif
#if LS_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

enum {
    FIBER_DEFAULT_STACK = 1 << 20,
    FIBER_CACHE = 64,      /* stacks kept per OS thread */
};

/* A failing mmap/getcontext/swapcontext leaves no way to go on. */
static void fiber_check(bool ok, const char *what)
{
    if (!ok) {
        perror(what);
        abort();
    }
}

struct Fiber {
#if LS_OWN_SWITCH
    void *sp, *host_sp;  /* saved stack pointers (the registers are on the stacks) */
#else
    ucontext_t ctx, host;
#endif
    FiberFn fn;
    void *arg;
    Arena *arena;       /* where the stack came from (a restorable cooperative run), or NULL: mapped here */
    uint64_t *ran, ran_bit; /* where that arena learns that the fiber ran (arena_stack_ran) */
    char *map;          /* guard page + stack */
    size_t map_bytes;
    char *stack;
    size_t stack_bytes;
    bool done;
#if LS_ASAN
    void *fake_stack;   /* the host's, saved while the fiber runs */
    void *fiber_fake;   /* the fiber's, saved while the host runs */
    const void *host_bottom;
    size_t host_size;
#endif
#if LS_TSAN
    void *tsan_fiber, *tsan_host;
#endif
};

static void enter_fiber(Fiber *f)
{
#if LS_ASAN
    __sanitizer_start_switch_fiber(&f->fake_stack, f->stack, f->stack_bytes);
#endif
#if LS_TSAN
    f->tsan_host = __tsan_get_current_fiber();
    __tsan_switch_to_fiber(f->tsan_fiber, 0);
#endif
}

static void arrived_in_fiber(Fiber *f)
{
#if LS_ASAN
    __sanitizer_finish_switch_fiber(f->fiber_fake, &f->host_bottom, &f->host_size);
#else
    (void)f;
#endif
}

static void leave_fiber(Fiber *f, bool for_good)
{
#if LS_ASAN
    __sanitizer_start_switch_fiber(for_good ? NULL : &f->fiber_fake, f->host_bottom, f->host_size);
#else
    (void)for_good;
#endif
#if LS_TSAN
    __tsan_switch_to_fiber(f->tsan_host, 0);
#else
    (void)f;
#endif
}

static void back_in_host(Fiber *f)
{
#if LS_ASAN
    __sanitizer_finish_switch_fiber(f->fake_stack, NULL, NULL);
#else
    (void)f;
#endif
}

/* ---------------------------------------------------------------- switching */

#if LS_OWN_SWITCH
/* ls_fiber_switch(from, to): push the callee-saved registers and the SSE/x87 control words, store the stack pointer
 * in *from, load `to`, pop the other side's and return into it. ls_fiber_start is where a new fiber's first switch
 * returns to: the Fiber and the C entry were placed in r12 and r13 by prepare(). */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl ls_fiber_switch\n"
        ".hidden ls_fiber_switch\n"
        ".type ls_fiber_switch, @function\n"
        "ls_fiber_switch:\n"
        "    pushq %rbp\n    pushq %rbx\n    pushq %r12\n    pushq %r13\n    pushq %r14\n    pushq %r15\n"
        "    subq $8, %rsp\n    stmxcsr (%rsp)\n    fnstcw 4(%rsp)\n"
        "    movq %rsp, (%rdi)\n    movq %rsi, %rsp\n"
        "    ldmxcsr (%rsp)\n    fldcw 4(%rsp)\n    addq $8, %rsp\n"
        "    popq %r15\n    popq %r14\n    popq %r13\n    popq %r12\n    popq %rbx\n    popq %rbp\n"
        "    ret\n"
        ".size ls_fiber_switch, .-ls_fiber_switch\n"
        ".p2align 4\n"
        ".globl ls_fiber_start\n"
        ".hidden ls_fiber_start\n"
        ".type ls_fiber_start, @function\n"
        "ls_fiber_start:\n"
        "    movq %r12, %rdi\n    callq *%r13\n    ud2\n"
        ".size ls_fiber_start, .-ls_fiber_start\n");
void ls_fiber_switch(void **from, void *to);
void ls_fiber_start(void);
#endif

static void fiber_main(Fiber *f)
{
    arrived_in_fiber(f);
    f->fn(f->arg);
    f->done = true;
    leave_fiber(f, true);
#if LS_OWN_SWITCH
    ls_fiber_switch(&f->sp, f->host_sp);
#else
    setcontext(&f->host);
#endif
    abort(); /* a done fiber is never resumed */
}

#if LS_OWN_SWITCH
/* The new fiber's stack as ls_fiber_switch leaves a suspended one, returning into ls_fiber_start, 16-byte aligned
 * at its call. */
static void prepare(Fiber *f)
{
    uint64_t *top = (uint64_t *)(void *)(f->stack + f->stack_bytes);
    uint64_t *sp = top - 10;
    sp[0] = 0x1F80ull | (0x037Full << 32); /* MXCSR and x87 control word at their defaults */
    sp[1] = 0;                            /* r15 */
    sp[2] = 0;                            /* r14 */
    sp[3] = (uint64_t)(uintptr_t)fiber_main; /* r13 */
    sp[4] = (uint64_t)(uintptr_t)f;       /* r12 */
    sp[5] = 0;                            /* rbx */
    sp[6] = 0;                            /* rbp */
    sp[7] = (uint64_t)(uintptr_t)ls_fiber_start;
    f->sp = sp;
}
#else
static void trampoline(unsigned hi, unsigned lo)
{
    fiber_main((Fiber *)(((uintptr_t)hi << 32) | (uintptr_t)lo));
}

static void prepare(Fiber *f)
{
    fiber_check(getcontext(&f->ctx) == 0, "lockstep: getcontext");
    f->ctx.uc_stack.ss_sp = f->stack;
    f->ctx.uc_stack.ss_size = f->stack_bytes;
    f->ctx.uc_link = NULL;
    uintptr_t p = (uintptr_t)f;
    makecontext(&f->ctx, (void (*)(void))trampoline, 2, (unsigned)(p >> 32), (unsigned)(p & 0xFFFFFFFFu));
}
#endif

/* ---------------------------------------------------------------- stacks, kept per OS thread */

typedef struct StackCache {
    char *maps[FIBER_CACHE];
    int n;
} StackCache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_free(void *p)
{
    StackCache *c = p;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < c->n; i++)
        munmap(c->maps[i], FIBER_DEFAULT_STACK + page);
    free(c);
}

static void cache_key_create(void)
{
    fiber_check(pthread_key_create(&cache_key, cache_free) == 0, "lockstep: pthread_key_create");
}

static StackCache *cache_get(void)
{
    pthread_once(&cache_once, cache_key_create);
    StackCache *c = pthread_getspecific(cache_key);
    if (!c) {
        c = calloc(1, sizeof *c); /* the OS thread's, never a run's arena */
        fiber_check(c != NULL, "lockstep: a fiber stack cache");
        pthread_setspecific(cache_key, c);
    }
    return c;
}

static char *stack_map(size_t map_bytes, size_t page)
{
    if (map_bytes == FIBER_DEFAULT_STACK + page) {
        StackCache *c = cache_get();
        if (c->n > 0)
            return c->maps[--c->n];
    }
    char *map = mmap(NULL, map_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                     -1, 0);
    fiber_check(map != MAP_FAILED, "lockstep: mmap of a fiber stack");
    fiber_check(mprotect(map, page, PROT_NONE) == 0, "lockstep: mprotect of a fiber stack"); /* a stack overflow faults instead of corrupting memory */
    return map;
}

static void stack_unmap(char *map, size_t map_bytes, size_t page)
{
#if LS_ASAN
    __asan_unpoison_memory_region(map + page, map_bytes - page); /* an abandoned fiber's frames stay poisoned */
#endif
    if (map_bytes == FIBER_DEFAULT_STACK + page) {
        StackCache *c = cache_get();
        if (c->n < FIBER_CACHE) {
            c->maps[c->n++] = map;
            return;
        }
    }
    munmap(map, map_bytes);
}

/* ---------------------------------------------------------------- fibers */

Fiber *fiber_create(FiberFn fn, void *arg, size_t stack_bytes)
{
    Fiber *f = xcalloc(1, sizeof *f);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    f->stack_bytes = ((stack_bytes ? stack_bytes : FIBER_DEFAULT_STACK) + page - 1) / page * page;
    f->map_bytes = f->stack_bytes + page;
    f->arena = arena_current();
    if (f->arena) {
        if (f->stack_bytes > ARENA_STACK_BYTES || !(f->stack = arena_stack_alloc(f->arena)))
            fiber_check(false, "lockstep: a fiber stack in the model checker's arena");
        f->stack_bytes = ARENA_STACK_BYTES;
        f->map = f->stack - page;
        f->ran = arena_stack_ran(f->arena, f->stack, &f->ran_bit);
    } else {
        f->map = stack_map(f->map_bytes, page);
        f->stack = f->map + page;
    }
    f->fn = fn;
    f->arg = arg;
    prepare(f);
#if LS_TSAN
    f->tsan_fiber = __tsan_create_fiber(0);
#endif
    return f;
}

void fiber_destroy(Fiber *f)
{
    if (!f)
        return;
#if LS_TSAN
    __tsan_destroy_fiber(f->tsan_fiber);
#endif
    if (f->arena)
        arena_stack_free(f->arena, f->stack);
    else
        stack_unmap(f->map, f->map_bytes, (size_t)sysconf(_SC_PAGESIZE));
    xfree(f);
}

void fiber_written(Fiber *f)
{
    if (f->ran) /* it may write its stack and what it owns (arena_restore_sparing) */
        *f->ran |= f->ran_bit;
}

void fiber_resume(Fiber *f)
{
    fiber_written(f);
    enter_fiber(f);
#if LS_OWN_SWITCH
    ls_fiber_switch(&f->host_sp, f->sp);
#else
    fiber_check(swapcontext(&f->host, &f->ctx) == 0, "lockstep: swapcontext");
#endif
    back_in_host(f);
}

void fiber_yield(Fiber *f)
{
    leave_fiber(f, false);
#if LS_OWN_SWITCH
    ls_fiber_switch(&f->sp, f->host_sp);
#else
    fiber_check(swapcontext(&f->ctx, &f->host) == 0, "lockstep: swapcontext");
#endif
    arrived_in_fiber(f);
}

const char *fiber_stack(const Fiber *f, size_t *bytes)
{
    *bytes = f->stack_bytes;
    return f->stack;
}

const void *fiber_record(const Fiber *f, size_t *bytes)
{
    *bytes = sizeof *f;
    return f;
}

bool fiber_done(const Fiber *f)
{
    return f->done;
}

size_t fiber_stack_live(const Fiber *f, const void **lo)
{
#if LS_OWN_SWITCH
    if (f->done)
        return 0;
    *lo = f->sp;
    return (size_t)(f->stack + f->stack_bytes - (char *)f->sp);
#else
    *lo = f->stack;
    return f->stack_bytes;
#endif
}
