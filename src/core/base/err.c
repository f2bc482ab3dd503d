/* Filling in a command's error. */
#include "core/base/err.h"

#include <stdarg.h>
#include <stdio.h>

/* Records the error code and formatted message. */
void err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->code = code;
}

/* Records the error like err_set and returns NULL, for handlers that fail with `return err_null(...)`. */
void *err_null(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->code = code;
	return NULL;
}
