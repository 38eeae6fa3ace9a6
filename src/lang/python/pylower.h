/* pylower: turns a parsed Python module (pyast.h) into the scenario Program of ast.h.
 *
 * The module's imports say which names mean threading, time, random, queue and collections.deque. Its top-level
 * names become declarations: a synchronization object (Lock(), [Lock() for _ in range(n)], deque(), Queue(), ...),
 * a parameter (an integer or bool set once and never changed), a shared variable (an integer some code changes) or
 * a shared array (a list of integers functions use). Functions become scenario functions with Python's scoping; the
 * module-level statements and the body of `if __name__ == "__main__":` become main. threading.Thread(...) plus
 * .start() becomes `start f(args)`, time.sleep an activity, print a narration line, and an assert after the joins an
 * end-of-run expectation. `# lockstep:` comments add parameters and checks. Everything else is refused with a
 * message naming the construct at its position. */
#ifndef LOCKSTEP_PYLOWER_H
#define LOCKSTEP_PYLOWER_H

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/python/pyast.h"
#include "lang/python/pylex.h"

#include <stddef.h>

void pylower_module(Program *prog, const PyList *module, const PyTokens *toks, const char *src, size_t len,
                    Diags *diags);

#endif
