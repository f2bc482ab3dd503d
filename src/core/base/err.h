#ifndef CONVEYOR_ERR_H
#define CONVEYOR_ERR_H
/* A command's failure: the one-line message for stderr and the exit status (SPEC 0.3). */

enum { EXIT_OK = 0, EXIT_WORKER = 1, EXIT_USAGE = 2 };

struct err {
	int code;
	int commit; /* the failure is itself recorded (an audit row): commit the transaction anyway */
	char msg[1024];
};

void err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *err_null(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
