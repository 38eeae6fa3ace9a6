/* race_c: the race-counter workload as a plain C program, the baseline for the interpreter benchmark. Each of the
 * workers does `M = N; N = M + 1` ITERATIONS times with separate relaxed atomic loads and stores (a real race, without
 * undefined behaviour). Prints "N EXPECTED" so the caller can compute the share of lost updates.
 *   race_c [ITERATIONS [WORKERS [stamped]]]   defaults: 10000000 2
 * With `stamped`, each increment does exactly lockstep's per-access bookkeeping for lost updates and nothing else of
 * lockstep (src/analysis/shared_access.c): the value shares one word with the stamp (writer, generation) of the write
 * that stored it; the read loads the word, the write swaps in value + 1 with the next generation by one atomic
 * exchange and counts the generations the replaced word was ahead. It shows what exact lost-update counting costs on
 * a variable two cores write all the time, apart from the interpreter; the count goes to stderr. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_WORKERS = 64 };

typedef struct Counter {
    _Atomic long n;
    _Atomic uint64_t word; /* stamped: value (high 32 bits) and stamp */
    _Atomic long lost;
    long iterations;
    bool stamped;
} Counter;

typedef struct Worker {
    Counter *c;
    unsigned id;
} Worker;

enum { WRITER_BITS = 9, GEN_BITS = 22, GEN_MASK = (1u << GEN_BITS) - 1 };

static void *plain_worker(void *arg)
{
    Counter *c = ((Worker *)arg)->c;
    for (long k = 0; k < c->iterations; k++) {
        long m = atomic_load_explicit(&c->n, memory_order_relaxed);
        atomic_store_explicit(&c->n, m + 1, memory_order_relaxed);
    }
    return NULL;
}

static unsigned gen_of(uint64_t word)
{
    return ((unsigned)word >> WRITER_BITS) & GEN_MASK;
}

static void *stamped_worker(void *arg)
{
    Worker *w = arg;
    Counter *c = w->c;
    long lost = 0;
    for (long k = 0; k < c->iterations; k++) {
        uint64_t seen = atomic_load_explicit(&c->word, memory_order_acquire);
        uint32_t m = (uint32_t)(seen >> 32);
        unsigned gen = (gen_of(seen) + 1) & GEN_MASK;
        uint64_t mine = (uint64_t)(m + 1) << 32 | gen << WRITER_BITS | (w->id + 1);
        uint64_t before = atomic_exchange_explicit(&c->word, mine, memory_order_acq_rel);
        unsigned ahead = (gen_of(before) - gen_of(seen)) & GEN_MASK;
        lost += ahead < GEN_MASK / 2 ? (long)ahead : (long)ahead - (long)GEN_MASK - 1;
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
    atomic_init(&c.word, 0);
    atomic_init(&c.lost, 0);
    pthread_t th[MAX_WORKERS];
    Worker w[MAX_WORKERS];
    for (int i = 0; i < workers; i++) {
        w[i] = (Worker){&c, (unsigned)i};
        pthread_create(&th[i], NULL, c.stamped ? stamped_worker : plain_worker, &w[i]);
    }
    for (int i = 0; i < workers; i++)
        pthread_join(th[i], NULL);
    long n = c.stamped ? (long)(uint32_t)(atomic_load(&c.word) >> 32) : atomic_load(&c.n);
    printf("%ld %ld\n", n, c.iterations * workers);
    if (c.stamped)
        fprintf(stderr, "lost updates counted: %ld\n", atomic_load(&c.lost));
    return 0;
}
