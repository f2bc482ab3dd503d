#ifndef CONVEYOR_UTF8_H
#define CONVEYOR_UTF8_H
#include <stddef.h>

size_t utf8_seq_len(const unsigned char *s);

#endif
