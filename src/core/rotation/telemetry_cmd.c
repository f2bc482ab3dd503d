/* telemetry (SPEC 8.6, list mode): the telemetry events behind every receipt, filtered and in time order. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/session/session.h"
#include "core/session/session_cmds.h"
#include "store/store.h"
#include "util/json.h"

/* Fails with "Unsupported telemetry <what>: <v>" unless v (when given) is in allowed. */
static int telemetry_allowed(const char *v, const char *const *allowed, const char *what, struct err *e)
{
	if (!v)
		return 0;
	for (int i = 0; allowed[i]; i++)
		if (strcmp(v, allowed[i]) == 0)
			return 0;
	err_set(e, EXIT_USAGE, "Unsupported telemetry %s: %s", what, v);
	return -1;
}

/* telemetry [--task T] [--actor A] [--event-type E] [--severity S] [--search Q] [--limit N] [--newest]. */
cJSON *telemetry_list(struct ctx *c, const struct args *a, struct err *e)
{
	static const char *const actors[] = {"dispatch", "manager", "operator", "system", "worker", "workerctl", NULL};
	static const char *const severities[] = {"debug", "info", "warning", "error", NULL};
	if (telemetry_allowed(args_get(a, "--actor"), actors, "actor", e) != 0 ||
	    telemetry_allowed(args_get(a, "--severity"), severities, "severity", e) != 0)
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
	long long limit = args_get(a, "--limit") ? strtoll(args_get(a, "--limit"), NULL, 10) : 100;
	cJSON *rows = store_rows(s, sql, "ssssssi", json_str(task, "id"), args_get(a, "--actor"),
				 args_get(a, "--event-type"), args_get(a, "--severity"), fts, search, limit);
	free(fts);
	cJSON_Delete(task);
	return rows ? rows : err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
}

/* telemetry text: "<timestamp> <actor> <event_type> [<severity>] <summary>" per event. */
void telemetry_list_text(const cJSON *r, struct sb *out)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, r)
	sb_addf_clean(out, "%s %s %s [%s] %s\n", json_str(it, "timestamp"), json_str(it, "actor"),
		      json_str(it, "event_type"), json_str(it, "severity"), json_str(it, "summary"));
}
