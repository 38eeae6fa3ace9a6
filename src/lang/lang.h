/* lang: the front door of the scenario language: read a file, parse it, check it, and handle parameter values.
 *
 * Typical use:
 *     Diags d; diags_init(&d, path);
 *     Program *p = NULL;
 *     LangStatus st = lang_load_file(path, &d, &p);   // LANG_OK, or errors in d
 *     int64_t *vals = lang_param_defaults(p);
 *     char *err = NULL;
 *     if (!lang_param_set(p, vals, "strategy=ordered", &err)) { puts(err); free(err); }
 */
#ifndef LOCKSTEP_LANG_H
#define LOCKSTEP_LANG_H

#include "ast.h"
#include "diag.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum LangStatus {
    LANG_OK,
    LANG_IO_ERROR,     /* the file could not be read (missing, a directory, ...): one diagnostic says why */
    LANG_SCENARIO_ERROR, /* syntax or semantic errors: every one found is in the diagnostics */
} LangStatus;

/* Maximum sizes, documented in docs/scenario-language.md. */
enum {
    LANG_MAX_FILE_BYTES = 1 << 20,  /* larger files are refused with a clear error */
    LANG_MAX_NESTING = 64,          /* block and expression nesting depth */
    LANG_MAX_ARRAY = 4096,          /* elements of one shared or object array */
    LANG_MAX_THREADS = 256,         /* threads one run starts, main included (checked by the runtime; ids are never
                                       reused, so a finished thread still counts) */
    LANG_MAX_SHARED_TOTAL = 65536,  /* shared variables of one run, every array element counted */
    LANG_MAX_OBJECTS_TOTAL = 65536, /* synchronization objects of one run, every array element counted */
};

LangStatus lang_load_file(const char *path, Diags *diags, Program **out);
/* Which front end reads a file: by its name (.py is Python, anything else the scenario language), or Python always
 * (the command line's --python, for a lecture's file saved as race.txt). */
typedef enum LangSyntax { LANG_SYNTAX_BY_NAME, LANG_SYNTAX_PYTHON } LangSyntax;
LangStatus lang_load_file_as(const char *path, LangSyntax syntax, Diags *diags, Program **out);
/* Same, from a string already in memory; path is used in messages. */
LangStatus lang_load_string(const char *path, const char *source, Diags *diags, Program **out);

/* A freshly allocated array of the parameters' default values (free() it). */
int64_t *lang_param_defaults(const Program *prog);
/* Apply "NAME=VALUE" to values. Int params take integers within their range; bool params take yes/no/true/false/1/0/
 * on/off; choice params take one of their choices. On error returns false and sets *err to a one-line message naming
 * the parameter and what it accepts (caller frees). */
bool lang_param_set(const Program *prog, int64_t *values, const char *assignment, char **err);
/* "5", "yes", "ordered": the text of a parameter's value (static or owned by prog; do not free). */
const char *lang_param_value_text(const Program *prog, int index, int64_t value, char buf[32]);
/* After parameters are known: evaluate every declaration's sizes and arguments; false + *err when one is out of range
 * (an array size < 1 or > LANG_MAX_ARRAY, more than LANG_MAX_SHARED_TOTAL shared variables or LANG_MAX_OBJECTS_TOTAL
 * synchronization objects in all, a negative semaphore value, barrier parties < 1, ...). */
bool lang_validate_instance(const Program *prog, const int64_t *values, char **err);

#endif
