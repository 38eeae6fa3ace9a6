/* python: the Python front end's entry point (see python.h): lex, parse, lower, free the intermediate trees. */
#include "lang/python/python.h"

#include "lang/python/pylex.h"
#include "lang/python/pylower.h"
#include "lang/python/pyparse.h"

#include <string.h>

bool python_is_path(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 3 && strcmp(path + n - 3, ".py") == 0;
}

void python_parse(Program *prog, const char *src, size_t len, Diags *diags)
{
    PyTokens toks;
    int before = diags->count;
    bool lexed = pylex_run(src, len, (SrcPos){1, 1}, false, diags, &toks);
    PyList module = {0};
    if (lexed)
        pyparse_module(&toks, diags, &module);
    if (lexed && diags->count == before)
        pylower_module(prog, &module, &toks, src, len, diags);
    pyast_list_free(&module);
    pylex_free(&toks);
}
