/* ast: the syntax tree of a scenario file, and the resolved program the runtime executes.
 *
 * The parser (parser.c) builds the tree; the checker (check.c) validates it and fills in the resolution fields
 * (marked "resolved:" below) so that the interpreter never looks a name up by string. A checked Program is immutable
 * and shared read-only by every thread of a run.
 *
 * Parameters are only known when a run starts (defaults overridden by --set or the GUI), so array sizes and initial
 * values stay expressions here; ast_const_eval() evaluates them for a given set of parameter values. */
#ifndef LOCKSTEP_AST_H
#define LOCKSTEP_AST_H

#include <stdbool.h>
#include <stdint.h>

typedef struct SrcPos {
    int line; /* 1-based */
    int col;  /* 1-based, in bytes */
} SrcPos;

typedef struct Expr Expr;
typedef struct Stmt Stmt;

typedef struct ExprList {
    Expr **items;
    int count;
} ExprList;

typedef struct Block {
    Stmt **items;
    int count;
} Block;

/* ---------------------------------------------------------------- expressions */

typedef enum ExprKind {
    EX_INT,     /* integer literal, True (1), False (0): ival */
    EX_NAME,    /* identifier: name; resolved: ref */
    EX_INDEX,   /* a[b]: a is an EX_NAME naming a shared array, object array or local list */
    EX_UNARY,   /* op a: OP_NEG, OP_NOT */
    EX_BINARY,  /* a op b */
    EX_BUILTIN, /* min(...), max(...), abs(x), len(list), sum(a), count(a, v), inside(section), the atomic
                   read-modify-writes (test_and_set(x), ...): builtin, args */
    EX_METHOD,  /* a.method(args): a is EX_NAME or EX_INDEX naming an object, thread handle or local list */
    EX_CALL,    /* f(args), a user function called as a subroutine; resolved: func */
    EX_START,   /* start f(args): starts a thread, value is its handle; resolved: func */
    EX_LIST,    /* [e, ...] list display (local lists, shared array initialisers) */
} ExprKind;

typedef enum BinOp {
    OP_ADD, OP_SUB, OP_MUL, OP_FLOORDIV, OP_MOD,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_AND, OP_OR, /* short-circuit, Python truthiness on integers */
    OP_NEG, OP_NOT, /* unary */
} BinOp;

/* sum(a) and count(a, v) over a shared array, and inside(section), read many things at once: checks only.
 * The atomic read-modify-writes take a shared variable or element as their first argument and are one step each:
 * test_and_set(x) (x = 1, value: the old x), exchange(x, v) (x = v, value: the old x), compare_and_swap(x, old, new)
 * (x = new if x == old, value: 1 if it did, else 0), fetch_and_add(x, d) (x += d, value: the old x). Code only.
 * choose(a, b, ...) (or choose(list)) and random(n) are nondeterministic choices, each a step: exhaustive exploration
 * follows every alternative, other runs take the seeded generator's (or the replayed schedule's). Code only.
 * value(s) is a semaphore's count: checks only. */
typedef enum Builtin {
    BI_MIN, BI_MAX, BI_ABS, BI_LEN, BI_SUM, BI_COUNT, BI_INSIDE,
    BI_TEST_AND_SET, BI_EXCHANGE, BI_COMPARE_AND_SWAP, BI_FETCH_AND_ADD,
    BI_CHOOSE, BI_RANDOM, BI_VALUE,
    BI_COUNT_OF_BUILTINS
} Builtin;

/* The atomic read-modify-writes, in the order of their builtins. */
static inline bool builtin_is_atomic(Builtin b)
{
    return b >= BI_TEST_AND_SET && b <= BI_FETCH_AND_ADD;
}

/* What a name refers to, filled in by the checker. */
typedef enum RefKind {
    REF_NONE,        /* unresolved (only before checking) */
    REF_PARAM,       /* a scenario parameter: index into Program.params */
    REF_CHOICE,      /* a choice constant such as `ordered`: value is its index within its parameter's choices */
    REF_SHARED,      /* a shared variable or shared array: index into Program.shareds */
    REF_OBJECT,      /* a synchronization object or array of them: index into Program.objects */
    REF_LOCAL,       /* a thread-local variable: slot in the current function's frame */
} RefKind;

typedef struct Ref {
    RefKind kind;
    int index; /* params / shareds / objects index, or local slot */
    int64_t value; /* REF_CHOICE only */
} Ref;

/* Methods callable on objects, thread handles and local lists; the checker maps the name and checks the arity. */
typedef enum Method {
    M_NONE,
    /* Lock, RLock, Semaphore, BoundedSemaphore, Condition (its lock) */
    M_ACQUIRE,      /* acquire() or acquire(False) / acquire(blocking=False): value is 1 if acquired */
    M_RELEASE,
    M_LOCKED,       /* Lock.locked() */
    /* Condition */
    M_WAIT,         /* Condition.wait(), Event.wait(), Barrier.wait() (value: arrival index) */
    M_NOTIFY,       /* notify() or notify(n) */
    M_NOTIFY_ALL,
    /* Event */
    M_SET, M_CLEAR, M_IS_SET,
    /* RWLock */
    M_ACQUIRE_READ, M_RELEASE_READ, M_ACQUIRE_WRITE, M_RELEASE_WRITE,
    M_READ,         /* only as `with rw.read():` */
    M_WRITE,        /* only as `with rw.write():` */
    /* Queue */
    M_PUT,          /* put(x): blocks while a bounded queue is full */
    M_GET,          /* get(): blocks while empty; value is the item */
    M_APPEND,       /* append(x): deque-style non-blocking put (error on a full bounded queue) */
    M_POPLEFT,      /* popleft(): non-blocking get, runtime error on an empty queue */
    M_TASK_DONE, M_JOIN, M_QSIZE, M_EMPTY, M_FULL,
    /* local list: */
    M_LIST_APPEND,  /* lst.append(x) on a local list (the checker picks this over M_APPEND for locals) */
    /* thread handle: M_JOIN (shared with Queue.join, with a timeout as well), and: */
    M_IS_ALIVE,     /* t.is_alive(): 1 until it has ended */
} Method;

typedef enum TimeUnit { UNIT_MS, UNIT_S } TimeUnit;

struct Expr {
    ExprKind kind;
    SrcPos pos;
    int64_t ival;     /* EX_INT */
    char *name;       /* EX_NAME: identifier; EX_METHOD: method name; EX_CALL/EX_START: function name;
                         EX_BUILTIN: builtin name */
    BinOp op;         /* EX_UNARY, EX_BINARY */
    Builtin builtin;  /* EX_BUILTIN */
    Expr *a, *b;      /* operands; EX_INDEX: a = base, b = index; EX_METHOD: a = target */
    ExprList args;    /* EX_BUILTIN, EX_METHOD, EX_CALL, EX_START, EX_LIST (elements) */
    /* resolved: */
    Ref ref;          /* EX_NAME */
    Method method;    /* EX_METHOD */
    int func;         /* EX_CALL, EX_START: index into Program.funcs */
    bool reads_shared; /* this expression (or a sub-expression) reads a shared variable or calls an object method */
    bool daemon;      /* EX_START: `start daemon f()`: the run does not wait for this thread to finish */
    char *label;      /* EX_START: the thread's name as the program gives it (Python's Thread(name="...")), or NULL:
                         named after its function and arguments */
    int section;      /* resolved: EX_BUILTIN inside(name): index into Program.sections */
    Expr *timeout;    /* EX_METHOD: `timeout=DURATION` of a wait that may give up (acquire, wait, get, put), or NULL */
    TimeUnit timeout_unit;
};

/* ---------------------------------------------------------------- statements */

typedef enum StmtKind {
    ST_EXPR,      /* an expression evaluated for its effect: a method call, a user function call, start f() */
    ST_ASSIGN,    /* targets = values; tuple assignment when count > 1 (values are all evaluated first) */
    ST_AUGASSIGN, /* target op= value (+=, -=, *=): reads the target then writes it, as two steps if shared */
    ST_IF,        /* if cond: body  else: orelse (an `elif` is an ST_IF alone in orelse, with its own pos) */
    ST_WHILE,     /* while cond: body */
    ST_FOR,       /* for var in range(a[, b[, c]]): body, or for var in <local list>: body */
    ST_BREAK,
    ST_CONTINUE,
    ST_PASS,
    ST_RETURN,    /* return [value] */
    ST_WITH,      /* with obj: body (acquire at entry, release at exit); with rw.read(): / with rw.write(): */
    ST_ACTIVITY,  /* think 100..400 ms: a labelled duration */
    ST_SAY,       /* say "text {expr} text" */
    ST_ASSERT,    /* assert cond[, "message"]: a runtime error in this thread when false */
    ST_SECTION,   /* section label: body — a labelled block; checks count the threads inside it with inside(label) */
} StmtKind;

/* A piece of a say string: literal text, or an interpolated {expr}. */
typedef struct SayPart {
    char *text; /* literal text, or NULL for an expression */
    Expr *expr;
    bool thread_name; /* neither: the name of the thread saying it (Python's current_thread().name) */
    bool as_bool;     /* expr is a Python bool (a comparison, t.is_alive()): said True or False, not 1 or 0 */
} SayPart;

struct Stmt {
    StmtKind kind;
    SrcPos pos;             /* the first token of the statement (for `with`, the `with` keyword) */
    ExprList targets;       /* ST_ASSIGN, ST_AUGASSIGN (exactly one): EX_NAME or EX_INDEX */
    ExprList values;        /* ST_ASSIGN: exactly as many values as targets; ST_AUGASSIGN: one */
    BinOp op;               /* ST_AUGASSIGN: OP_ADD, OP_SUB, OP_MUL */
    Expr *expr;             /* ST_EXPR, ST_IF/ST_WHILE/ST_ASSERT condition, ST_RETURN value (may be NULL),
                               ST_WITH object expression (EX_NAME/EX_INDEX, or EX_METHOD M_READ/M_WRITE) */
    char *var;              /* ST_FOR loop variable */
    int var_slot;           /* resolved: ST_FOR loop variable slot */
    ExprList range;         /* ST_FOR over range(): 1 to 3 arguments; empty when iterating a list */
    Expr *iter;             /* ST_FOR over a local list */
    Block body;             /* ST_IF, ST_WHILE, ST_FOR, ST_WITH, ST_SECTION */
    Block orelse;           /* ST_IF */
    char *label;            /* ST_ACTIVITY: the activity word as written ("think"); ST_SECTION: the section's name */
    int section;            /* resolved: ST_SECTION: index into Program.sections */
    char *state;            /* ST_ACTIVITY: the state label shown for the thread ("thinking") */
    Expr *lo, *hi;          /* ST_ACTIVITY: duration bounds (hi NULL for a fixed duration) */
    TimeUnit unit;          /* ST_ACTIVITY */
    SayPart *parts;         /* ST_SAY */
    int nparts;
    char *message;          /* ST_ASSERT optional message */
};

/* ---------------------------------------------------------------- declarations */

typedef enum ParamKind { PARAM_INT, PARAM_BOOL, PARAM_CHOICE } ParamKind;

typedef struct ParamDecl {
    char *name;
    SrcPos pos;
    ParamKind kind;
    int64_t def;     /* default; PARAM_BOOL: 0/1; PARAM_CHOICE: index of the default choice */
    int64_t lo, hi;  /* PARAM_INT: inclusive range (when has_range) */
    bool has_range;
    char **choices;  /* PARAM_CHOICE */
    int nchoices;
    char *help;      /* optional description, may be NULL */
} ParamDecl;

typedef struct SharedDecl {
    char *name;
    SrcPos pos;
    Expr *size; /* NULL for a scalar; else a constant expression over parameters */
    Expr *init; /* NULL (0), a constant expression (every element), or an EX_LIST of constants */
} SharedDecl;

typedef enum ObjKind {
    OBJ_LOCK,
    OBJ_RLOCK,
    OBJ_SEMAPHORE,
    OBJ_BOUNDED_SEMAPHORE,
    OBJ_CONDITION,
    OBJ_EVENT,
    OBJ_BARRIER,
    OBJ_RWLOCK,
    OBJ_QUEUE,
    OBJ_KIND_COUNT
} ObjKind;

typedef struct ObjDecl {
    ObjKind kind;
    char *name;
    SrcPos pos;
    Expr *size;      /* NULL for a single object; else a constant expression (array of objects) */
    Expr *arg;       /* Semaphore/BoundedSemaphore initial value (default 1), Barrier parties (required),
                        Queue maxsize (NULL or 0 = unbounded); NULL otherwise */
    char *lock_name; /* Condition: the Lock/RLock it is bound to, NULL for a private lock */
    int lock_decl;   /* resolved: index of that lock's ObjDecl, or -1 */
    bool writer_preferring; /* RWLock: `rwlock db(writer_preferring)`; default reader-preferring */
} ObjDecl;

typedef struct FuncDecl {
    char *name; /* "main" for the main block */
    SrcPos pos;
    char **params;
    int nparams;
    Block body;
    /* Python's scoping (functions read from .py files): a name the function assigns is local unless it is listed in
     * a `global` statement, even when a global of that name exists. Scenario functions leave this false. */
    bool python_scope;
    char **global_names;
    int nglobal_names;
    int nlocals; /* resolved: frame size; parameters occupy slots 0..nparams-1 */
    char **local_names; /* resolved: nlocals names, for display */
} FuncDecl;

typedef enum CheckKind { CHECK_EXPECT, CHECK_INVARIANT } CheckKind;

typedef struct CheckDecl {
    CheckKind kind;
    SrcPos pos;
    Expr *expr; /* may read params and shared variables only */
    char *text; /* the expression's source text, as written */
    char *message; /* optional, may be NULL */
} CheckDecl;

typedef enum Layout { LAYOUT_GRAPH, LAYOUT_RING, LAYOUT_PIPELINE } Layout;

typedef struct Program {
    char *path;     /* as given by the user */
    char *source;   /* the whole file */
    char **lines;   /* source split in lines, without newlines; lines[0] is line 1 */
    int nlines;

    char *title;          /* `scenario "..."`; defaults to the file's base name */
    char *about;          /* may be NULL */
    char *hint_deadlock;  /* `on deadlock "..."`, may be NULL */
    char *hint_failure;   /* `on failure "..."` (expectation, invariant or thread error), may be NULL */
    char *group;          /* `group races|locks|semaphores|conditions|deadlock|patterns`, may be NULL */
    Layout layout;

    ParamDecl *params;
    int nparams;
    SharedDecl *shareds;
    int nshareds;
    ObjDecl *objects;
    int nobjects;
    FuncDecl *funcs; /* thread/subroutine functions; main is separate */
    int nfuncs;
    FuncDecl main;
    CheckDecl *checks;
    int nchecks;
    char **sections; /* resolved: the names of the labelled blocks (`section cs:`), each once, in order of appearance */
    int nsections;
} Program;

/* Free a program and everything it owns; NULL-safe. */
void program_destroy(Program *prog);

/* Evaluate a constant expression (literals, parameters, choice constants, arithmetic, min/max/abs) for the given
 * parameter values (one per Program.params). Returns false if the expression is not constant, divides by zero or
 * overflows; arith_const_eval (arith.h) says which and where. */
bool ast_const_eval(const Program *prog, const int64_t *param_values, const Expr *e, int64_t *out);

/* Walking an expression: visit(ctx, x) for e and every expression under it (operands, a base and its index, the
 * arguments of a call, the elements of a list, a wait's timeout), each before those under it, until visit returns
 * true. Returns whether it did (false for NULL). Every walk over an expression's reads starts here. */
typedef bool (*ExprVisit)(void *ctx, const Expr *e);
bool ast_expr_any(const Expr *e, ExprVisit visit, void *ctx);

/* Whether e reads shared declaration decl (Program.shareds): names it, as a variable or as the array an index reads
 * (any element), anywhere in it. */
bool ast_expr_reads_shared(const Expr *e, int decl);

/* Whether prog (may be NULL) declares a check of this kind: an `expect` or an `invariant`. */
bool ast_has_check(const Program *prog, CheckKind kind);

/* The English names of things, for messages: "Lock", "Semaphore", ... and "+", "==", ... */
const char *ast_obj_kind_name(ObjKind kind);
const char *ast_op_text(BinOp op);
/* "min", "test_and_set", ...: a builtin's name as written. */
const char *ast_builtin_name(Builtin b);

#endif
