/* telemetry (SPEC 8.6, list mode): the telemetry events behind every receipt, filtered and in time order. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/rotation/rotation.h"
#include "core/session/session.h"
#include "store/store.h"
#include "util/json.h"

/* telemetry [--task T] [--actor A] [--event-type E] [--severity S] [--search Q] [--limit N] [--newest]. */
static cJSON *telemetry_list(struct ctx *c, const struct args *a, struct err *e)
{
	const char *actor, *severity;
	if (args_enum(a, "--actor", &actor, e) != 0 || args_enum(a, "--severity", &severity, e) != 0)
		return NULL;
	struct store *s = ctx_db(c, e);
	cJSON *task = NULL;
	if (!s || (args_get(a, "--task") && !(task = task_lookup(s, args_get(a, "--task"), e))))
		return NULL;
	const char *search = args_get(a, "--search");
	char *fts = search ? audit_fts_query(search) : NULL;
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "select actor, attributes_json, correlation_json, event_type, id, run_id, severity, summary, task_id, "
		 "timestamp from telemetry_events where (?1 is null or task_id = ?1) and (?2 is null or actor = ?2) and "
		 "(?3 is null or event_type = ?3) and (?4 is null or severity = ?4) and %s order by %s limit ?7",
		 search ? "(id in (select event_id from telemetry_events_fts where telemetry_events_fts match ?5) or "
			  "event_type = ?6)"
			: "?5 is null and ?6 is null",
		 args_has(a, "--newest") ? "timestamp desc, rowid desc" : "timestamp, rowid");
	long long limit = args_int_or(a, "--limit", 100);
	cJSON *rows = store_rows(s, sql, "ssssssi", json_str(task, "id"), actor, args_get(a, "--event-type"),
				 severity, fts, search, limit);
	free(fts);
	cJSON_Delete(task);
	return rows ? rows : err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
}

/* The flags of telemetry. */
static const struct flag_spec telemetry_flags[] = {
	{.name = "--task", .type = FLAG_STRING, .arg = "T", .help = "only events of this task"},
	{.name = "--actor", .type = FLAG_ENUM, .arg = "A", .help = "only events by this actor",
	 .values = (const char *const[]){"dispatch", "manager", "operator", "system", "worker", "workerctl", NULL},
	 .enum_error = "Unsupported telemetry actor: "},
	{.name = "--event-type", .type = FLAG_STRING, .arg = "E", .help = "only events of this type"},
	{.name = "--severity", .type = FLAG_ENUM, .arg = "S", .help = "only events of this severity",
	 .values = (const char *const[]){"debug", "info", "warning", "error", NULL},
	 .enum_error = "Unsupported telemetry severity: "},
	{.name = "--search", .type = FLAG_STRING, .arg = "Q", .help = "full-text search (or an exact event type)"},
	{.name = "--limit", .type = FLAG_COUNT, .arg = "N", .help = "show at most N events (default 100)"},
	{.name = "--newest", .type = FLAG_BOOL, .help = "newest first (default oldest first)"},
	{0},
};

/* `telemetry`. */
const struct cmd_entry cmd_telemetry = {
	.word = "telemetry",
	.man = "conveyor-rotation",
	.usage = "telemetry [--task T] [--actor A] [--event-type E] [--severity S] [--search Q] [--limit N] [--newest]",
	.summary = "List telemetry events (the receipts of rotations, heartbeats and commands).",
	.help = "\nexample:\n  conveyor telemetry --task docs --json\n",
	.flags = telemetry_flags,
	.pre = CMD_READS,
	.run = telemetry_list,
	.text = telemetry_list_text,
};

/* telemetry text: "<timestamp> <actor> <event_type> [<severity>] <summary>" per event. */
void telemetry_list_text(const cJSON *r, struct sb *out)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, r)
	sb_addf_clean(out, "%s %s %s [%s] %s\n", json_str(it, "timestamp"), json_str(it, "actor"),
		      json_str(it, "event_type"), json_str(it, "severity"), json_str(it, "summary"));
}
