/* lockstep: the program's entry. The verbs of the command line (run, check, explore, --list, --help, --version) go to
 * the headless CLI; anything else (nothing, a scenario, window options) opens the window. Each side owns everything it
 * builds and unwinds it before returning the exit status, so main only chooses. */
#include "cli/cli.h"
#include "gui/gui.h"

int main(int argc, char **argv)
{
    int status;
    if (argc > 1 && cli_is_verb(argv[1]))
        status = cli_main(argc, argv);
    else
        status = gui_main(argc - 1, argv + 1);
    return status;
}
