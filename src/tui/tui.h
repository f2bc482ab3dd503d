#ifndef CONVEYOR_TUI_H
#define CONVEYOR_TUI_H
/* The cockpit (conveyor tui): a full-screen ncurses view whose keys run the command table's handlers. */
#include <cjson/cJSON.h>

int tui_main(const char *prog, const cJSON *plan);

#endif
