#ifndef CONVEYOR_PATHS_H
#define CONVEYOR_PATHS_H
/* Where the database lives (SPEC 1.1). */
#include "core/base/err.h"

char *paths_db(const char *path_flag, struct err *e);
char *paths_absolute(const char *path, struct err *e);

#endif
