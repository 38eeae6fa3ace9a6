/* gui: the live visualizer window. `lockstep [SCENARIO] [options]` ends up here (see main.c): argv holds everything
 * after the program name that is not a CLI verb. Returns the process exit status. The GUI only reads the runtime's
 * snapshots and events (rt.h) and sends it commands; it never includes anything from the workers' side. */
#ifndef LOCKSTEP_GUI_H
#define LOCKSTEP_GUI_H

int gui_main(int argc, char **argv);

#endif
