/* lockstep: the program's entry. The verbs of the command line (run, check, explore, --list, --help, --version) go to
 * the headless CLI; anything else (nothing, a scenario, window options) opens the window. Each side owns everything it
 * builds and unwinds it before returning the exit status, so main only chooses. `--data-dir DIR` is the one option
 * that may come before the verb (`lockstep --data-dir DIR run X`): main moves it after the verb, where every verb
 * takes it, so the verbs parse one order only. */
#include "cli/cli.h"
#include "gui/gui.h"

#include <string.h>

/* Rotate a leading `--data-dir DIR` or `--data-dir=DIR` behind the verb that follows it, if one does. */
static void move_data_dir_after_verb(int argc, char **argv)
{
    int width = 0; /* how many words the option takes */
    if (argc > 3 && strcmp(argv[1], "--data-dir") == 0)
        width = 2;
    else if (argc > 2 && strncmp(argv[1], "--data-dir=", 11) == 0)
        width = 1;
    if (width == 0 || !cli_is_verb(argv[1 + width]))
        return;
    char *verb = argv[1 + width];
    memmove(&argv[2], &argv[1], (size_t)width * sizeof argv[0]);
    argv[1] = verb;
}

int main(int argc, char **argv)
{
    int status;
    move_data_dir_after_verb(argc, argv);
    if (argc > 1 && cli_is_verb(argv[1]))
        status = cli_main(argc, argv);
    else
        status = gui_main(argc - 1, argv + 1);
    return status;
}
