#ifndef CONVEYOR_HEAP_H
#define CONVEYOR_HEAP_H
/* Allocator hints for a conveyor process. */

void heap_tune(void);

#endif
