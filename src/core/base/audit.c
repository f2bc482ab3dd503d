/* Appending to the events log and to telemetry, in the command's transaction. */
#include "core/base/audit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/base/ids.h"
#include "store/store.h"
#include "util/json.h"

/* Appends one events row (actor workerctl) of type with payload (taken), tied to a task and a command when
 * they are given; 0 or -1 with e set. */
int audit_event(struct ctx *c, const char *type, const char *task_id, const char *command_id, cJSON *payload,
		struct err *e)
{
	int rc = store_exec(c->store,
			    "insert into events(created_at, actor, command_id, task_id, type, payload_json) "
			    "values (?, 'workerctl', ?, ?, ?, ?)",
			    "ssssj", c->now, command_id, task_id, type, payload);
	cJSON_Delete(payload);
	if (rc != 0)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	return rc;
}

/* Emits one telemetry event: the telemetry_events row and its full-text twin (attributes indexed as compact
 * sorted JSON text). id_out (IDS_LEN bytes, may be NULL) receives the event id. 0 or -1 with e set. */
int audit_telemetry(struct ctx *c, struct telemetry *t, char *id_out, struct err *e)
{
	char id[IDS_LEN];
	ids_new("telemetry", id);
	cJSON *correlation = t->correlation ? t->correlation : cJSON_CreateObject();
	cJSON *attributes = t->attributes ? t->attributes : cJSON_CreateObject();
	t->correlation = t->attributes = NULL;
	char *attributes_text = json_compact(attributes);
	const char *when = t->timestamp ? t->timestamp : c->now;
	int rc = store_exec(c->store,
			    "insert into telemetry_events(id, run_id, task_id, timestamp, actor, event_type, severity, "
			    "summary, correlation_json, attributes_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "ssssssssjs", id, t->run_id, t->task_id, when, t->actor, t->event_type, t->severity,
			    t->summary, correlation, attributes_text);
	if (rc == 0)
		rc = store_exec(c->store,
				"insert into telemetry_events_fts(event_id, task_id, run_id, actor, event_type, summary, "
				"attributes) values (?, ?, ?, ?, ?, ?, ?)",
				"sssssss", id, t->task_id, t->run_id, t->actor, t->event_type, t->summary, attributes_text);
	free(attributes_text);
	cJSON_Delete(correlation);
	cJSON_Delete(attributes);
	if (rc != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	if (id_out)
		snprintf(id_out, IDS_LEN, "%s", id);
	return 0;
}

/* The FTS5 query that matches every word of query: each whitespace-separated term double-quoted (SPEC 3.8), or
 * the empty phrase (matching nothing) when query has no word; caller frees. */
char *audit_fts_query(const char *query)
{
	struct sb sb;
	sb_init(&sb);
	for (const char *p = query; *p;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		sb_adds(&sb, sb.len ? " \"" : "\"");
		for (; *p && !isspace((unsigned char)*p); p++) {
			if (*p == '"')
				sb_addc(&sb, '"');
			sb_addc(&sb, *p);
		}
		sb_addc(&sb, '"');
	}
	if (!sb.len)
		sb_adds(&sb, "\"\"");
	return sb_take(&sb);
}
