#ifndef CONVEYOR_SHELL_H
#define CONVEYOR_SHELL_H
/* Generated command strings (SPEC 0.5): single-quoted arguments after the program name. */
#include "util/sb.h"

void shell_quote(struct sb *out, const char *s);

#endif
