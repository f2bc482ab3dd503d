/* Current time and timestamp parsing/formatting. */
#include "util/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reads exactly n decimal digits at *p, advancing it; -1 if they are not all digits. */
static int clock_digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return v;
}

/* Parses YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM|-HH:MM] (no zone means UTC) into milliseconds since the epoch; -1 if malformed. */
int clock_parse(const char *text, long long *ms)
{
	const char *p = text;
	struct tm tm = {0};
	int y = clock_digits(&p, 4);
	if (y < 0 || *p++ != '-')
		return -1;
	int mo = clock_digits(&p, 2);
	if (mo < 0 || *p++ != '-')
		return -1;
	int d = clock_digits(&p, 2);
	if (d < 0 || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	int h = clock_digits(&p, 2);
	if (h < 0 || *p++ != ':')
		return -1;
	int mi = clock_digits(&p, 2);
	if (mi < 0 || *p++ != ':')
		return -1;
	int s = clock_digits(&p, 2);
	if (s < 0)
		return -1;
	long long frac = 0;
	if (*p == '.') {
		p++;
		int scale = 100, digits = 0;
		while (isdigit((unsigned char)*p)) {
			frac += (*p - '0') * scale;
			scale /= 10;
			p++;
			digits++;
		}
		if (!digits)
			return -1;
	}
	long long offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;
		int oh = clock_digits(&p, 2);
		if (oh < 0 || *p++ != ':')
			return -1;
		int om = clock_digits(&p, 2);
		if (om < 0)
			return -1;
		offset = sign * (oh * 3600LL + om * 60LL);
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	time_t t = timegm(&tm);
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -1;
	*ms = ((long long)t - offset) * 1000 + frac;
	return 0;
}

/* Current time in milliseconds: CONVEYOR_NOW when set (a fixed clock for tests), else the real clock; -1 if CONVEYOR_NOW is malformed. */
int clock_now(long long *ms)
{
	const char *fixed = getenv("CONVEYOR_NOW");
	if (fixed && *fixed)
		return clock_parse(fixed, ms);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	*ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return 0;
}

/* Formats ms as YYYY-MM-DDTHH:MM:SS.mmmZ. */
void clock_format_ms(long long ms, char out[CLOCK_ISO_LEN])
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int milli = (int)(ms - (long long)t * 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, CLOCK_ISO_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, milli);
}

/* Formats ms as YYYY-MM-DDTHH:MM:SSZ (second precision). */
void clock_format_s(long long ms, char out[CLOCK_ISO_LEN])
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, CLOCK_ISO_LEN, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
