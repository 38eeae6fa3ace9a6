/* fuzz_lang: libFuzzer target for the scenario language front end (lexer, parser, checker, parameter handling).
 * Any input must load without a crash, a sanitizer report or a hang: either a checked Program (whose default
 * parameters are then validated and a few --set forms applied) or diagnostics. Built by tools/fuzz with clang
 * -fsanitize=fuzzer,address,undefined; crashes it finds go to fuzz/regressions/, which the test suite replays. */
#include "lang/lang.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void exercise_params(const Program *prog)
{
    static const char *const sets[] = {"n=3", "workers=0", "strategy=ordered", "use_lock=yes", "x", "=1"};
    int64_t *values = lang_param_defaults(prog);
    char *err = NULL;
    if (!lang_validate_instance(prog, values, &err))
        free(err);
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        err = NULL;
        if (!lang_param_set(prog, values, sets[i], &err))
            free(err);
    }
    free(values);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = xmalloc(size + 1);
    memcpy(src, data, size);
    src[size] = 0;
    Diags d;
    diags_init(&d, "fuzz.lsc");
    Program *prog = NULL;
    if (lang_load_string("fuzz.lsc", src, &d, &prog) == LANG_OK) {
        exercise_params(prog);
        program_destroy(prog);
    }
    diags_finish(&d);
    free(src);
    return 0;
}
