/* Starting `conveyor dispatch --watch` in the background unless a dispatcher with the same id is alive (it
 * reported a heartbeat in the last 10 s): for pair (detached, it outlives pair) and the cockpit (its child,
 * stopped when the cockpit quits). The dispatcher's messages go to <id>.log beside the database. */
#include "core/dispatch/dispatch_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/session/session.h"
#include "util/shell.h"
#include "store/store.h"
#include "util/json.h"

/* The command line of the dispatcher, as an operator would type it. */
char *dispatch_command_line(const char *prog, const char *dispatcher_id, const char *db_path)
{
	struct sb cmd;
	sb_init(&cmd);
	sb_addf(&cmd, "%s dispatch --watch --dispatcher-id ", prog);
	shell_quote(&cmd, dispatcher_id);
	sb_adds(&cmd, " --path ");
	shell_quote(&cmd, db_path);
	return sb_take(&cmd);
}

/* Milliseconds since the newest heartbeat of a real (not dry-run) dispatcher with this id, or -1 when none. */
static long long dispatch_heartbeat_age(struct ctx *c, const char *id, struct err *e)
{
	cJSON *row = optional_row(c->store, e,
				  "select timestamp from telemetry_events where event_type = 'dispatch_watch_heartbeat' "
				  "and json_extract(correlation_json, '$.dispatcher_id') = ? and "
				  "coalesce(json_extract(attributes_json, '$.dry_run'), 0) = 0 order by timestamp desc limit 1",
				  "s", id);
	if (!row)
		return -2;
	long long at, age = -1;
	if (cJSON_IsObject(row) && clock_parse(json_str(row, "timestamp"), &at) == 0)
		age = c->now_ms > at ? c->now_ms - at : 0;
	cJSON_Delete(row);
	return age;
}

/* Starts the dispatcher: a child of ours, or (detach) in its own session so it outlives us. Its stdin and
 * stdout are /dev/null and its stderr the log beside the database. Returns its pid, or -1. */
static pid_t dispatch_fork(const char *db_path, const char *id, int detach)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	struct sb log;
	sb_init(&log);
	const char *slash = strrchr(db_path, '/');
	sb_addf(&log, "%.*s/", (int)(slash ? slash - db_path : 1), slash ? db_path : ".");
	for (const char *p = id; *p; p++) /* the id names a file: nothing but [A-Za-z0-9._-] */
		sb_addc(&log, strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", *p) ? *p : '_');
	sb_adds(&log, ".log");
	pid_t pid = fork();
	if (pid == 0) {
		if (detach)
			setsid();
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		int err = open(log.buf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		dup2(null, 0);
		dup2(null, 1);
		dup2(err >= 0 ? err : null, 2);
		execl(exe, "conveyor", "dispatch", "--watch", "--dispatcher-id", id, "--path", db_path, (char *)NULL);
		_exit(127);
	}
	sb_free(&log);
	return pid;
}

/* Makes sure a dispatcher with this id runs: {command, ensure: true, pid, reason, started}. */
cJSON *dispatch_ensure(struct ctx *c, const char *dispatcher_id, int detach, struct err *e)
{
	if (!ctx_db(c, e))
		return NULL;
	long long age = dispatch_heartbeat_age(c, dispatcher_id, e);
	if (age == -2)
		return NULL;
	cJSON *d = cJSON_CreateObject();
	char *cmd = dispatch_command_line(c->prog, dispatcher_id, c->db_path);
	cJSON_AddStringToObject(d, "command", cmd);
	free(cmd);
	cJSON_AddTrueToObject(d, "ensure");
	char reason[160];
	pid_t pid = -1;
	if (age >= 0 && age <= DISPATCH_FRESH_MS) {
		snprintf(reason, sizeof reason, "dispatcher %s is already running (heartbeat %lld ms ago)", dispatcher_id,
			 age);
	} else if ((pid = dispatch_fork(c->db_path, dispatcher_id, detach)) < 0) {
		snprintf(reason, sizeof reason, "could not start the dispatcher: %s", strerror(errno));
	} else {
		snprintf(reason, sizeof reason, "started");
	}
	if (pid > 0)
		cJSON_AddNumberToObject(d, "pid", pid);
	else
		cJSON_AddNullToObject(d, "pid");
	cJSON_AddStringToObject(d, "reason", reason);
	cJSON_AddBoolToObject(d, "started", pid > 0);
	return d;
}
