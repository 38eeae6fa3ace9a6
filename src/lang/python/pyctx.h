/* pyctx: the state the Python lowering passes share, and the small helpers every pass uses.
 *
 * Lowering a module (pylower.h) runs in passes that live in their own files: pyclass rewrites classes and objects
 * passed as arguments, pydecl decides what each module-level name is and declares it, pyexpr, pysay and pystmt lower
 * functions and main. They all read and fill one Lower (the module) and, inside a function, one Fn, so those structs
 * are open here; this header is internal to lang/python/ and nothing outside the lowering includes it. Besides the
 * state it holds what more than one pass needs: the import aliases and the dotted name an expression stands for
 * (`th.Lock` is threading.Lock), lookups of the module's names, and builders of scenario syntax. */
#ifndef LOCKSTEP_PYCTX_H
#define LOCKSTEP_PYCTX_H

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/parser.h" /* ast_expr_new, ast_stmt_new */
#include "lang/python/pyast.h"
#include "lang/python/pylex.h"

#include <stdbool.h>
#include <stdint.h>

/* What a refusal points the reader to. */
extern const char pyctx_subset[];
/* main's hidden list of the threads it started, for threading.enumerate(). */
extern const char pyctx_enum_list[];

typedef enum GKind {
    GK_MAINLOCAL,     /* only main uses it (thread handles, lists of threads, loop counters) */
    GK_PARAM,         /* an integer or bool set once: a parameter of the scenario */
    GK_SHARED,        /* an integer that changes: a shared variable */
    GK_SHARED_ARRAY,  /* a list of integers functions use */
    GK_OBJECT,        /* a Lock, Semaphore, ..., deque or Queue, or a list of them */
    GK_FLOATCONST,    /* a float set once: its uses are replaced by the value (sleep durations) */
    GK_MAINTHREAD,    /* threading.current_thread() / main_thread() taken in main */
} GKind;

typedef struct GName {
    const char *name;
    SrcPos pos;
    PyNode *stmt;      /* the first assignment (main skips it when it became a declaration) */
    PyNode *value;
    GKind kind;
    int assigns;       /* assignments at module level, at any depth */
    const char *writer; /* a function that assigns it after `global` */
    const char *reader; /* a function that uses it */
    SrcPos reader_pos;
} GName;

typedef struct Alias {
    char *local;
    char *qual;
} Alias;

/* An instance of a class, made at the top of main: `name = Class(args)` (stmt). */
typedef struct Instance {
    const char *name;
    PyNode *cls;
    PyNode *stmt;
} Instance;

typedef struct Lower {
    Program *prog;
    Diags *diags;
    const char *src;
    Alias *aliases;
    int naliases;
    size_t acap;
    PyNode **defs;
    int ndefs;
    size_t dcap;
    PyNode **mains;
    int nmains;
    size_t mcap;
    GName *globals;
    int nglobals;
    size_t gcap;
    bool uses_enumerate;
    const PyTokens *toks;
    PyNode **classes;  /* class statements, in order */
    int nclasses;
    size_t ccap;
    Instance *inst;    /* instances made at the top of main */
    int ninst;
    size_t icap;
    char **attrs;      /* every instance attribute as its flat name, "manager.a" */
    int nattrs;
    PyList made;       /* nodes made by rewriting (copied methods, attribute assignments), freed at the end */
    int log_level;     /* the least level a logging call is said at (logging.basicConfig(level=...); WARNING) */
} Lower;

/* One function (or main) being lowered. */
typedef struct Fn {
    Lower *L;
    FuncDecl *fd;
    PyNode *def;      /* NULL for main */
    bool is_main;
    char **threads;   /* locals known to hold a thread or a list of threads */
    int nthreads;
    PyNode **skip;    /* statements already lowered elsewhere (a Thread's .start(), daemon = True) */
    int nskip;
    PyNode **start_at; /* statement where a pending Thread(...) starts, with its assignment */
    PyNode **start_of;
    int npend;
    int tmp;          /* counter for hidden names */
    char **floats;    /* locals holding a float (random.random(), 0.5, ...), kept in thousandths */
    int nfloats;
} Fn;

/* A threading constructor and the kind of object it makes. */
typedef struct Ctor {
    const char *qual;
    ObjKind kind;
} Ctor;

/* ------------------------------------------------------------------ messages */

void pyctx_err(Lower *L, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Report at e's position and return NULL (for a refused expression). */
Expr *pyctx_refuse(Fn *F, const PyNode *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------------ scenario syntax */

void pyctx_push_stmt(Block *b, Stmt *s); /* s may be NULL (nothing is pushed) */
void pyctx_push_expr(ExprList *l, Expr *e);
Expr *pyctx_name(const char *name, SrcPos pos);
Expr *pyctx_int(int64_t v, SrcPos pos);
Expr *pyctx_binary(BinOp op, SrcPos pos, Expr *a, Expr *b);
Stmt *pyctx_assign_stmt(Expr *target, Expr *value, SrcPos pos);
/* One more check of the Program (its text and message still unset). */
CheckDecl *pyctx_add_check(Lower *L, CheckKind kind, SrcPos pos, Expr *expr);

/* ------------------------------------------------------------------ the Python tree */

bool pyctx_is_name(const PyNode *n, const char *name);
bool pyctx_is_main_guard(const PyNode *n); /* if __name__ == "__main__": */
bool pyctx_float_literal(const PyNode *e, double *out); /* 0.5 or -0.5 */

/* ------------------------------------------------------------------ imports and qualified names */

void pyctx_import(Lower *L, PyNode *n); /* an import or from-import: fills the alias table or refuses */
const char *pyctx_alias(const Lower *L, const char *local);
/* The canonical dotted name an expression stands for ("threading.Lock", "time.sleep"), or NULL. */
const char *pyctx_qual(const Lower *L, const PyNode *e, char buf[96]) __attribute__((nonnull(3)));
bool pyctx_call_of(const Lower *L, const PyNode *e, const char *qual); /* a call of qual(...) */
const Ctor *pyctx_ctor_of(const Lower *L, const PyNode *e);           /* a threading constructor call, or NULL */

/* ------------------------------------------------------------------ the module's names */

int pyctx_def_index(const Lower *L, const char *name); /* -1 when no def has the name */
GName *pyctx_global(Lower *L, const char *name);       /* NULL when main does not assign the name */
void pyctx_add_main(Lower *L, PyNode *n);              /* one more statement of main */
bool pyctx_in_names(char **names, int n, const char *name);
void pyctx_add_name(char ***names, int *n, const char *name); /* a copy, once */

/* ------------------------------------------------------------------ what a function knows of its locals */

bool pyctx_knows_thread(const Fn *F, const char *name); /* a local holding a thread or a list of threads */
void pyctx_note_thread(Fn *F, const char *name);
bool pyctx_float_local(const Fn *F, const char *name);  /* a local holding a float, in thousandths */
void pyctx_note_float(Fn *F, const char *name);
void pyctx_fn_finish(Fn *F);

#endif
