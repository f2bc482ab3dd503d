#ifndef CONVEYOR_IDS_H
#define CONVEYOR_IDS_H
/* Generated record ids: <prefix>-<uuid v4> (SPEC 1.4). */
#include <stddef.h>

#define IDS_LEN 80

void ids_new(const char *prefix, char out[IDS_LEN]);

#endif
