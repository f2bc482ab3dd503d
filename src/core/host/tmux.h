#ifndef CONVEYOR_TMUX_H
#define CONVEYOR_TMUX_H
/* tmux, the one side channel to worker terminals: argv-only calls with the reference's error messages. */
#include "core/base/err.h"
#include "util/sb.h"

#define TMUX_TIMEOUT_MS 10000

int tmux_run(const char *const args[], struct sb *out, struct err *e);
int tmux_has_session(const char *session, struct err *e);
int tmux_capture(const char *target, int history_lines, struct sb *out, struct err *e);
char *tmux_target(const char *session, const char *pane_id);
char *tmux_exact(const char *target);
int tmux_send_keys(const char *target, const char *key, struct err *e);

#endif
