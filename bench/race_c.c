/* race_c: the race-counter workload as a plain C program, the baseline for the interpreter benchmark. Each of the
 * workers does `M = N; N = M + 1` ITERATIONS times with separate relaxed atomic loads and stores (a real race, without
 * undefined behaviour). Prints "N EXPECTED" so the caller can compute the share of lost updates.
 *   race_c [ITERATIONS [WORKERS]]   defaults: 10000000 2 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

enum { MAX_WORKERS = 64 };

typedef struct Counter {
    _Atomic long n;
    long iterations;
} Counter;

static void *worker(void *arg)
{
    Counter *c = arg;
    for (long k = 0; k < c->iterations; k++) {
        long m = atomic_load_explicit(&c->n, memory_order_relaxed);
        atomic_store_explicit(&c->n, m + 1, memory_order_relaxed);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    Counter c = {.iterations = argc > 1 ? atol(argv[1]) : 10000000};
    int workers = argc > 2 ? atoi(argv[2]) : 2;
    if (workers < 1 || workers > MAX_WORKERS || c.iterations < 1) {
        fprintf(stderr, "usage: race_c [ITERATIONS [WORKERS (1..%d)]]\n", MAX_WORKERS);
        return 1;
    }
    atomic_init(&c.n, 0);
    pthread_t th[MAX_WORKERS];
    for (int i = 0; i < workers; i++)
        pthread_create(&th[i], NULL, worker, &c);
    for (int i = 0; i < workers; i++)
        pthread_join(th[i], NULL);
    printf("%ld %ld\n", atomic_load(&c.n), c.iterations * workers);
    return 0;
}
