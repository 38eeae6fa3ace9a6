/* race_c: the race-counter workload as a plain C program, the baseline for the interpreter benchmark. Each of the
 * workers does `M = N; N = M + 1` ITERATIONS times with separate relaxed atomic loads and stores (a real race, without
 * undefined behaviour). Prints "N EXPECTED" so the caller can compute the share of lost updates.
 *   race_c [ITERATIONS [WORKERS [stamped]]]   defaults: 10000000 2
 * With `stamped`, each increment also does lockstep's own per-access bookkeeping for lost updates and nothing else of
 * lockstep: the read notes the stamp of the write it saw, the write swaps in its own stamp with one atomic exchange
 * and compares the stamp it replaced (src/analysis/shared_access.c). It shows what exact lost-update counting costs
 * on a variable two cores write all the time, apart from the interpreter; the lost updates it counts go to stderr. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_WORKERS = 64 };

typedef struct Counter {
    _Atomic long n;
    _Atomic unsigned stamp;
    _Atomic long lost;
    long iterations;
    bool stamped;
} Counter;

typedef struct Worker {
    Counter *c;
    unsigned id;
} Worker;

enum { WRITER_BITS = 9, WRITER_MASK = (1u << WRITER_BITS) - 1 };

static void *plain_worker(void *arg)
{
    Counter *c = ((Worker *)arg)->c;
    for (long k = 0; k < c->iterations; k++) {
        long m = atomic_load_explicit(&c->n, memory_order_relaxed);
        atomic_store_explicit(&c->n, m + 1, memory_order_relaxed);
    }
    return NULL;
}

static void *stamped_worker(void *arg)
{
    Worker *w = arg;
    Counter *c = w->c;
    long lost = 0;
    unsigned seq = 0;
    for (long k = 0; k < c->iterations; k++) {
        unsigned seen = atomic_load_explicit(&c->stamp, memory_order_acquire);
        long m = atomic_load_explicit(&c->n, memory_order_relaxed);
        atomic_store_explicit(&c->n, m + 1, memory_order_relaxed);
        unsigned mine = (++seq << WRITER_BITS) | (w->id + 1);
        unsigned before = atomic_exchange_explicit(&c->stamp, mine, memory_order_acq_rel);
        unsigned writer = (before & WRITER_MASK) - 1;
        lost += before != seen && (before & WRITER_MASK) != 0 && writer != w->id;
    }
    atomic_fetch_add(&c->lost, lost);
    return NULL;
}

int main(int argc, char **argv)
{
    Counter c = {.iterations = argc > 1 ? atol(argv[1]) : 10000000};
    int workers = argc > 2 ? atoi(argv[2]) : 2;
    c.stamped = argc > 3 && strcmp(argv[3], "stamped") == 0;
    if (workers < 1 || workers > MAX_WORKERS || c.iterations < 1 || (argc > 3 && !c.stamped)) {
        fprintf(stderr, "usage: race_c [ITERATIONS [WORKERS (1..%d) [stamped]]]\n", MAX_WORKERS);
        return 1;
    }
    atomic_init(&c.n, 0);
    atomic_init(&c.stamp, 0);
    atomic_init(&c.lost, 0);
    pthread_t th[MAX_WORKERS];
    Worker w[MAX_WORKERS];
    for (int i = 0; i < workers; i++) {
        w[i] = (Worker){&c, (unsigned)i};
        pthread_create(&th[i], NULL, c.stamped ? stamped_worker : plain_worker, &w[i]);
    }
    for (int i = 0; i < workers; i++)
        pthread_join(th[i], NULL);
    printf("%ld %ld\n", atomic_load(&c.n), c.iterations * workers);
    if (c.stamped)
        fprintf(stderr, "lost updates counted: %ld\n", atomic_load(&c.lost));
    return 0;
}
