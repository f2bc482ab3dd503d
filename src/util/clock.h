#ifndef CONVEYOR_CLOCK_H
#define CONVEYOR_CLOCK_H
/* The one source of "now" (honouring CONVEYOR_NOW) and ISO-8601 UTC timestamps (SPEC 1.5). */

#define CLOCK_ISO_LEN 96

int clock_now(long long *ms);
int clock_parse(const char *text, long long *ms);
void clock_format_ms(long long ms, char out[CLOCK_ISO_LEN]);
void clock_format_s(long long ms, char out[CLOCK_ISO_LEN]);

#endif
