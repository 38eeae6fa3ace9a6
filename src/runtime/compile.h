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
#include "util/strbuf.h"

#include <stdint.h>

/* Every instruction, once. X(NAME, label, stack, show, what):
 *   NAME   CI_NAME in the enum, "NAME" in the disassembly (compile_print)
 *   label  the interpreter's dispatch label for it (interp.c, vm_loop)
 *   stack  its effect on the operand stack's depth, or CI_STACK_VARIES when the compiler gives it at the emit
 *   show   what the disassembly prints after the name: %a / %b local slot a / b by name, %S shared slot a, %D shared
 *          declaration a, %o the binary operator, %u the unary operator of expr, %k the constant k, %A %B %K the
 *          instruction indexes in a, b, k, %h the hidden loop slots from a, %c the hidden slots a..a+b-1, %p the line
 *          of pos, %e the expression (its kind and line:col), %s the statement's line
 *   what   the meaning, for readers of this list */
#define COMPILE_OPS(X)                                                                                                \
    X(STMT, stmt, 0, "line %p", "start a statement at pos: pass the gate")                                           \
    X(CONST, konst, 1, "%k", "push k")                                                                              \
    X(BIN_LK, bin_lk, 1, "%a %o %k", "push local slot a (UnboundLocalError naming expr2) bop k (errors at expr)")   \
    X(LOCAL, local, 1, "%a", "push local slot a (UnboundLocalError naming expr)")                                   \
    X(SHARED, shared, 1, "%S", "push the read of shared slot a")                                                    \
    X(SHARED_IDX, shared_idx, 0, "%D[top]", "pop an index; push the read of shared declaration a at that index")    \
    X(UNARY, unary, 0, "%u", "apply expr's unary operator to the top")                                              \
    X(BIN, bin, -1, "%o", "pop b, a; push a bop b (errors at expr)")                                                \
    X(SHORT, shortc, -1, "%o -> %A", "and/or: if truth(top) == (bop == OP_OR) jump to a keeping it, else pop it")  \
    X(TREE, tree, 1, "%e", "push the tree evaluation of expr")                                                      \
    X(POP, pop, -1, "", "drop the top")                                                                             \
    X(STORE_LOCAL, store_local, -1, "%a", "pop into local slot a")                                                  \
    X(SHARED_TO_LOCAL, shared_to_local, 0, "%b = %S", "local slot b = the read of shared slot a")                  \
    X(STORE_SHARED, store_shared, -1, "%S", "pop into shared slot a (expr: the target)")                            \
    X(STORE_IDX, store_idx, -2, "%D[top]", "pop index, pop value; store into shared declaration a at the index")    \
    X(ASSIGN_TREE, assign_tree, -1, "%e", "pop a value and assign it to target expr")                               \
    X(TUPLE, tuple, CI_STACK_VARIES, "line %s", "pop stmt's values and assign them to its targets, left to right")  \
    X(STMT_TREE, stmt_tree, 0, "line %s", "run stmt with the tree evaluator (augmented assignment, activity, ...)") \
    X(JUMP, jump, 0, "-> %A", "go to a")                                                                            \
    X(LOOP, loop, 0, "-> %A", "a while loop goes round (the livelock watch counts it, rt_round): go to a")           \
    X(JUMP_FALSE, jump_false, -1, "-> %A", "pop; go to a when false")                                               \
    X(RANGE_INIT, range_init, 0, "%h, line %s", "evaluate stmt's range() into hidden a (counter), a+1 (end), a+2")  \
    X(RANGE_NEXT, range_next, 0, "%h, done -> %B, line %p",                                                         \
      "go to b when the range in hidden a.. is exhausted; else pass the gate at pos and set the loop variable")      \
    X(RANGE_INC, range_inc, 0, "%h, overflow -> %B, loop -> %K", "counter += step; go to b on overflow, else to k") \
    X(LIST_INIT, list_init, -1, "%h, line %s", "pop the list to iterate: hidden a = list, a+1 = index 0")           \
    X(LIST_TEST, list_test, 0, "%h, done -> %B", "go to b when the index in hidden a+1 is past the list's end")     \
    X(LIST_VAR, list_var, 0, "%h", "loop variable = the list's item at the index")                                  \
    X(LIST_INC, list_inc, 0, "%h -> %B", "index += 1, go to b")                                                     \
    X(CLEAR, clear, 0, "%c", "hidden slots a .. a+b-1 become unbound (a loop has ended)")                           \
    X(WITH_ENTER, with_enter, 0, "line %s", "stmt's with: pass the gate, acquire, push onto the with stack")        \
    X(WITH_EXIT, with_exit, 0, "line %s", "pass the gate at stmt's with, pop the with stack and release")           \
    X(SECTION_ENTER, section_enter, 0, "%k", "the thread is inside section k from here (no step of its own)")       \
    X(SECTION_EXIT, section_exit, 0, "%k", "the thread leaves section k (no step of its own)")                       \
    X(SET_RETURN, set_return, CI_STACK_VARIES, "%k", "pop the return value (k == 1) or return 0 (k == 0)")         \
    X(RETURN, ret, 0, "", "end the call with its return value")                                                     \
    X(END, end, 0, "", "the end of the body: return 0")

enum { CI_STACK_VARIES = 100 }; /* a stack effect the compiler gives where it emits the instruction */

typedef enum CompileOp {
#define COMPILE_ENUM(name, label, stack, show, what) CI_##name,
    COMPILE_OPS(COMPILE_ENUM)
#undef COMPILE_ENUM
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
    uint64_t unread_params; /* parameters (slots below 64) the body never names: their values cannot change what
                               the thread does, so state fingerprints leave them out (interp_fingerprint) */
} CFunc;

/* Compile function func (index into Program.funcs, or -1 for main) for a thread of run rt with parameter values
 * params. The caller owns the result: compile_func_finish. */
void compile_func(const Program *prog, Rt *rt, const int64_t *params, int func, CFunc *out);
void compile_func_finish(CFunc *f);

/* The parameters (slots below 64) that fn's body never names, as bits (CFunc.unread_params). */
uint64_t compile_unread_params(const FuncDecl *fn);
/* Whether symmetry reduction may find threads to rename in prog's runs: some function is started at least twice
 * (once in a loop) by a bare `start f(...)` statement, never keeping the handle, and never names its parameters. Only a
 * hint of where the reduction can help: fingerprints up to renaming are right for every program. */
bool compile_interchangeable_threads(const Program *prog);

/* The instruction's name ("BIN_LK"), and its effect on the stack depth (CI_STACK_VARIES: given at the emit). */
const char *compile_op_name(CompileOp op);
int compile_op_stack(CompileOp op);

/* Append a readable listing of f, compiled from function func (-1: main) of prog for run rt: one line per
 * instruction (index, name, operands by name), each statement preceded by its source line. */
void compile_print(const Program *prog, Rt *rt, int func, const CFunc *f, StrBuf *out);

#endif
