/* event: names of event kinds, for traces and tests. */
#include "runtime/event.h"

static const char *const names[EV_KIND_COUNT] = {
    [EV_STEP] = "step",       [EV_READ] = "read",         [EV_WRITE] = "write",     [EV_REQUEST] = "request",
    [EV_ACQUIRE] = "acquire", [EV_RELEASE] = "release",   [EV_BLOCK] = "block",     [EV_WAKE] = "wake",
    [EV_SEM] = "semaphore",   [EV_PUT] = "put",           [EV_GET] = "get",         [EV_NOTIFY] = "notify",
    [EV_SET] = "set",         [EV_CLEAR] = "clear",       [EV_BARRIER] = "barrier", [EV_START] = "start",
    [EV_FINISH] = "finish",   [EV_JOIN] = "join",         [EV_STATE] = "state",     [EV_SAY] = "say",
    [EV_ERROR] = "error",     [EV_LOST_UPDATE] = "lost_update", [EV_RACE] = "race", [EV_DEADLOCK] = "deadlock",
    [EV_CHECK] = "check",     [EV_CHOICE] = "choice",
};

const char *event_kind_name(EventKind kind)
{
    return kind < EV_KIND_COUNT && names[kind] ? names[kind] : "unknown";
}
