/* fixture: hand-built snapshots and programs for the GUI tests, so that layout, colours, narration and drawing are
 * tested without a running runtime. Everything a fixture allocates is freed by fx_finish. */
#ifndef LOCKSTEP_TESTS_GUI_FIXTURE_H
#define LOCKSTEP_TESTS_GUI_FIXTURE_H

#include "runtime/snapshot.h"

typedef struct Fixture {
    Snapshot snap;
    Program prog;
} Fixture;

void fx_init(Fixture *f);
void fx_finish(Fixture *f);
/* Add a thread (ids count from 0 in call order); func is an index into prog.funcs or -1. Returns the id. */
int fx_thread(Fixture *f, const char *name, int func, ThreadState state);
/* Declare an object (kind, base name, element count) in prog and add its elements to the snapshot; returns the
 * snapshot index of its first element. */
int fx_objects(Fixture *f, ObjKind kind, const char *name, int count);
/* A shared scalar; returns its slot. */
int fx_var(Fixture *f, const char *name, int64_t value);
/* A function whose body calls `method` on object declaration decl (or nothing when decl < 0); returns its index. */
int fx_func(Fixture *f, const char *name, int decl, Method method);
/* Thread `thread` blocked on snapshot object `obj` (appended to its waiters). */
void fx_block(Fixture *f, int thread, int obj, Method method);
/* The classic deadlock: n philosophers (threads 1..n, main is 0) each holding chopstick[i] and waiting for
 * chopstick[(i+1)%n]; with cycle set the snapshot's deadlock lists the edges. */
void fx_philosophers(Fixture *f, int n, int holding, bool cycle);

#endif
