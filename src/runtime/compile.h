/* compile: turns a function's checked AST into a flat instruction array for the interpreter's VM (interp.c).
 *
 * A scenario thread compiles every function of its program once, when it starts (a few microseconds: far less than
 * a thread's life), so that its statements are then run without walking the tree: control flow becomes jumps with
 * resolved targets, names become frame slots, parameters and choice constants become constants (folded with their
 * neighbours where that cannot fail), and shared scalars become runtime slots. Compiling per thread needs no global
 * cache and no locking; the parameter values and slots it bakes in are the thread's own run's.
 *
 * The instructions work on an operand stack of Values. Expressions the compiler does not lower (calls, methods,
 * builtins, lists, list indexing, start) stay trees: CI_TREE evaluates one with the tree evaluator and pushes the
 * value, so their semantics have a single home. Each step boundary is an explicit CI_STMT (or the with/for
 * instructions that pass the gate themselves). For-loops keep their counters in hidden frame slots after the
 * function's locals, so the interpreter's state fingerprint sees them. */
#ifndef LOCKSTEP_COMPILE_H
#define LOCKSTEP_COMPILE_H

#include "lang/ast.h"
#include "runtime/exec.h"

#include <stdint.h>

typedef enum CompileOp {
    CI_STMT,         /* start a statement at pos: pass the gate */
    CI_CONST,        /* push k */
    CI_BIN_LK,       /* push local slot a (UnboundLocalError naming expr2) bop k (errors at expr) */
    CI_LOCAL,        /* push local slot a (UnboundLocalError naming expr) */
    CI_SHARED,       /* push the read of shared slot a */
    CI_SHARED_IDX,   /* pop an index; push the read of shared declaration a at that index (expr: the EX_INDEX) */
    CI_UNARY,        /* apply expr's unary operator to the top */
    CI_BIN,          /* pop b, a; push a bop b (errors at expr) */
    CI_SHORT,        /* and/or: if truth(top) == (bop == OP_OR) jump to a keeping it, else pop it */
    CI_TREE,         /* push the tree evaluation of expr */
    CI_POP,
    CI_STORE_LOCAL,  /* pop into local slot a */
    CI_SHARED_TO_LOCAL, /* local slot b = the read of shared slot a */
    CI_STORE_SHARED, /* pop into shared slot a (expr: the target) */
    CI_STORE_IDX,    /* pop index, pop value; store into shared declaration a (expr: the EX_INDEX target) */
    CI_ASSIGN_TREE,  /* pop a value and assign it to target expr */
    CI_TUPLE,        /* pop stmt's values and assign them to its targets, left to right */
    CI_STMT_TREE,    /* run stmt's work with the tree evaluator (augmented assignment, activity, say, assert) */
    CI_JUMP,         /* go to a */
    CI_JUMP_FALSE,   /* pop; go to a when false */
    CI_RANGE_INIT,   /* evaluate stmt's range() into hidden slots a (counter), a+1 (end), a+2 (step) */
    CI_RANGE_NEXT,   /* go to b when the range in hidden slots a.. is exhausted; else pass the gate at pos and set
                        the loop variable (stmt's var_slot) to the counter */
    CI_RANGE_INC,    /* counter += step; go to b on overflow, else to k */
    CI_LIST_INIT,    /* pop the list to iterate (TypeError at stmt's iter): hidden a = list, a+1 = index 0 */
    CI_LIST_TEST,    /* go to b when the index in hidden a+1 is past the list's end */
    CI_LIST_VAR,     /* loop variable = the list's item at the index */
    CI_LIST_INC,     /* index += 1, go to b */
    CI_CLEAR,        /* hidden slots a .. a+b-1 become unbound (a loop has ended) */
    CI_WITH_ENTER,   /* stmt's with: pass the gate, acquire, push onto the with stack */
    CI_WITH_EXIT,    /* pass the gate at stmt's with, pop the with stack and release */
    CI_SET_RETURN,   /* pop the return value (k == 1) or return 0 (k == 0) */
    CI_RETURN,       /* end the call with its return value */
    CI_END,          /* the end of the body: return 0 */
    CI_COUNT
} CompileOp;

typedef struct CInstr {
    CompileOp op;
    BinOp bop;        /* CI_BIN, CI_SHORT */
    int32_t a, b;
    int64_t k;
    SrcPos pos;       /* CI_STMT */
    const Expr *expr; /* for errors and tree evaluation */
    const Expr *expr2;
    const Stmt *stmt;
} CInstr;

typedef struct CFunc {
    CInstr *code;
    int ncode;
    int frame_size; /* locals (at least the parameters) plus hidden loop slots */
    int max_stack;  /* operand stack depth needed */
} CFunc;

/* Compile function func (index into Program.funcs, or -1 for main) for a thread of run rt with parameter values
 * params. The caller owns the result: compile_func_finish. */
void compile_func(const Program *prog, Rt *rt, const int64_t *params, int func, CFunc *out);
void compile_func_finish(CFunc *f);

#endif
