/* narration: runtime events in plain words ("philosopher 2 picks up chopstick[2]") and the short log of recent lines
 * the narration panel shows, newest last. The wording is a pure function of the event and the snapshot's names, so
 * tests check it directly; the GUI colours each line in its thread's colour. Numbers are written with their thousands
 * grouped, as everywhere in the window (util/numtext.h): "worker 2 writes N = 1,568,409". */
#ifndef LOCKSTEP_GUI_NARRATION_H
#define LOCKSTEP_GUI_NARRATION_H

#include "runtime/event.h"
#include "runtime/snapshot.h"

#include <stdbool.h>
#include <stddef.h>

typedef const char *(*NarrStringFn)(void *ctx, int64_t id);

typedef struct NarrCtx {
    const Snapshot *snap;   /* names of threads, objects and shared variables */
    const Program *prog;    /* check texts; may be NULL */
    NarrStringFn string;    /* text of a string id (say lines, labels, errors); may be NULL */
    void *string_ctx;
    bool physical;          /* ring scenes: locks are things picked up and put down */
} NarrCtx;

/* Write the words for ev into buf. Returns false for events too fine-grained to narrate (steps, requests ...). */
bool narration_text(const NarrCtx *c, const Event *ev, char *buf, size_t size);
/* A thread's name in short, where the whole does not fit (the timeline's names, the stats table): its initial and its
 * number, "philosopher 13" -> "P13", or its initial alone. */
void narration_short_name(const char *name, char *out, size_t cap);
/* "philosopher 1 waits for chopstick[2] held by philosopher 2": one edge of a deadlock, in the words of the report
 * (describe_wait, session/describe.h). */
void narration_wait_text(const NarrCtx *c, const SnapWait *w, char *buf, size_t size);
/* "N lost 3 updates; the last: worker 2 overwrote worker 1's update": the banner's line for a variable that lost
 * updates, in the words of the report (describe_lost). */
void narration_lost_text(const NarrCtx *c, const SnapVar *v, char *buf, size_t size);

enum { NARRATION_KEEP = 200, NARRATION_LINE_MAX = 160, NARRATION_STEP_EVENTS = 16 };

/* The statement on source line `line` of p in short: the line's text without its indentation, trailing spaces and
 * a trailing comment ("N = M + 1", "for k in range(iterations):"); "" when there is no such line. */
void narration_statement(const Program *p, int line, char *buf, size_t size);
/* The statement of thread t's line in short (narration_statement), or where its next step leaves a `with` block
 * (SnapThread.leaving_with: the runtime reports that step, which releases the lock, on the with's line) what that
 * step does: "leave with counter_lock", not "with counter_lock:", which reads as taking the lock. */
void narration_thread_statement(const Program *p, const SnapThread *t, char *buf, size_t size);
/* What a live thread does next, in the words of the scene's line under its state: "next: N = M + 1", "next: leave
 * with counter_lock"; a blocked thread is not about to run its statement but stuck inside it: "waits in:
 * filled.acquire()"; a block's opening line without its colon ("waits in: with room", not "waits in: with room:").
 * "" for a thread that has ended, one in an activity (its state names it) or one that has not begun. */
void narration_next(const Program *p, const SnapThread *t, char *buf, size_t size);

typedef struct NarrLine {
    int thread;  /* whose colour; -1 for the runtime (deadlock, failed checks) */
    bool alarm;
    uint64_t seq;
    char text[NARRATION_LINE_MAX];
} NarrLine;

/* The last step of a serial run as its events told it: the step (its EV_CHOICE), the thread granted it and the
 * events recorded in it after the choice (the first NARRATION_STEP_EVENTS). */
typedef struct NarrStep {
    bool known;      /* an EV_CHOICE has been seen (serial mode) */
    uint64_t step;
    int thread;
    int line;        /* the line of the statement it began (its EV_STEP), 0 when none */
    Event events[NARRATION_STEP_EVENTS];
    int nevents;
} NarrStep;

/* The recent lines, a ring buffer embedded by value, and the last step of a serial run. */
typedef struct Narration {
    NarrLine lines[NARRATION_KEEP];
    int start, count;
    NarrStep last;
} Narration;

void narration_init(Narration *n);
void narration_add(Narration *n, const NarrCtx *c, const Event *ev);
/* The i-th line, oldest first (0 <= i < count). */
const NarrLine *narration_line(const Narration *n, int i);
/* The last step of a serial run in one line, in the narration's words: "Step 9: worker 1 reads N = 0 into M" (a
 * read into a local that the statement assigns and that now holds the value read: "into M"), the events of one step
 * joined with "; "; a step that changes nothing shared (a `for` or `if` test, a local assignment) by its statement:
 * `Step 5: worker 1 runs "if use_lock:" (nothing shared changes)`, or with `brief` set without the words in
 * brackets (where the whole does not fit). The alarms (a lost update, a race, a deadlock, a
 * failed check) are left to the banner, which says them in full: the step says what the thread did. False, and buf
 * empty, before the first step of a serial run. */
bool narration_step_text(const NarrCtx *c, const NarrStep *st, bool brief, char *buf, size_t size);

#endif
