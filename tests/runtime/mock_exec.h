/* mock_exec: a single-threaded stand-in for the runtime side of exec.h (and the few rt.h calls the interpreter
 * makes), for testing the interpreter alone.
 *
 * Every visible action is appended to a text log, one space-separated item each, so a test can compare the exact
 * order of what the interpreter did:
 *     @L            rt_stmt at line L (a step)
 *     rN=V          shared read of N (or a[2]) giving V
 *     wN=V<M#k      shared write; "<M#k" is the taint passed (read of M at version k), absent when untainted
 *     obj.method(args)=R    object call and its result   (e.g. l.acquire()=1, q[1].put(5)=0)
 *     choose/N=K    a choice among N alternatives, the mock always taking the last (K = N - 1)
 *     test_and_set:N=O->V  an atomic read-modify-write of N that found O and left V (exchange:, ... alike)
 *     start f(1,2)=H  join H  act:think/thinking:150  say:"text"  FAIL@L  (message in Rt.error)  STOP
 * Started threads are recorded, or run at once (synchronously, inside rt_start_thread) when run_started is set. */
#ifndef LOCKSTEP_TEST_MOCK_EXEC_H
#define LOCKSTEP_TEST_MOCK_EXEC_H

#include "lang/ast.h"
#include "runtime/exec.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <stdint.h>

enum { MOCK_MAX_FPS = 64 };

struct Rt {
    const Program *prog;
    const int64_t *params;
    InterpCode *code;
    int64_t *shared;   /* one per slot */
    uint32_t *version; /* one per slot, bumped by every write */
    int nslots;
    int *shared_base, *shared_len; /* per shared declaration */
    int *obj_base, *obj_len;       /* per object declaration */
    int nobjs;
    StrBuf log;
    int steps;          /* rt_stmt calls so far */
    int stop_at_step;   /* rt_stmt number n (1-based) returns EXEC_STOP, and every later one; 0: never */
    int fail_obj;       /* rt_call on this object id with fail_method fails (-1: never) */
    Method fail_method;
    int64_t call_result; /* what rt_call returns in *result */
    bool run_started;   /* run started threads synchronously */
    bool quiet_stmts;   /* do not log rt_stmt (long loops) */
    int nthreads;       /* threads started */
    char *error;        /* the last rt_fail message, "L:C: message" */
    int nerrors;
    bool record_fps;    /* at every rt_stmt, record the interpreter's state fingerprint (first MOCK_MAX_FPS) */
    uint64_t fps[MOCK_MAX_FPS];
    int nfps;
    int rounds, same_rounds; /* while-loop rounds (rt_round), and of them those that came round the same */
};

struct RtThread {
    Rt *rt;
    int id;
    void *interp; /* what the interpreter registered (rt_thread_set_interp) */
};

Rt *mock_create(const Program *prog, const int64_t *params);
void mock_destroy(Rt *rt);
/* Run main as thread 0. */
void mock_run_main(Rt *rt);
/* The slot value of shared `name` element i (for assertions). */
int64_t mock_shared(Rt *rt, const char *name, int index);

#endif
