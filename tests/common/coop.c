/* coop: a cooperative run for the tests (see coop.h). */
#include "coop.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

Rt *coop_run(const Loaded *l, bool restorable)
{
    RtConfig cfg;
    rt_config_defaults(&cfg);
    cfg.coop = true;
    cfg.mode = RT_SERIAL;
    cfg.speed = 0;
    cfg.restorable = restorable;
    char *err = NULL;
    Rt *rt = rt_create(l->prog, l->params, &cfg, &err);
    assert_non_null(rt);
    rt_start(rt);
    return rt;
}
