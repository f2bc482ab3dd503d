#ifndef CONVEYOR_TUI_KEYNAME_H
#define CONVEYOR_TUI_KEYNAME_H
/* Key names as help, the man page and keys.conf write them: a printable ASCII character, C-a .. C-z, or a name
 * (Enter, Esc, Space, Tab, BTab, BSpace, Up, Down, Left, Right, PgUp, PgDn, Home, End, IC, DC, F1 .. F12). */
#include <stddef.h>

int keyname_parse(const char *name);
void keyname_format(int key, char *buf, size_t len);
int keyname_code(unsigned ch, int is_code);

#endif
