#ifndef CONVEYOR_FS_H
#define CONVEYOR_FS_H
/* Filesystem helpers shared by the store and the commands. */
#include <stddef.h>

int fs_mkdirs(const char *dir, char *err, size_t errlen);
int fs_open_regular(const char *path, int *err_no);
const char *fs_open_error(int err_no);
int fs_private(const char *path, char *note, size_t notelen);
char *fs_dirname(const char *path);

#endif
