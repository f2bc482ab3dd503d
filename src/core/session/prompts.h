#ifndef CONVEYOR_PROMPTS_H
#define CONVEYOR_PROMPTS_H
/* Text handed to Codex app agents: the visible-session protocol, heartbeat prompts, handoffs, replacements. */
#include "util/sb.h"

/* The strings a prompt about one task interpolates. */
struct prompt_ctx {
	const char *prog; /* program name that starts generated commands */
	const char *task; /* raw task name */
	const char *db;   /* absolute database path */
};

void prompts_command(struct sb *out, const struct prompt_ctx *p, const char *verb, const char *middle,
		     const char *tail);
void prompts_visible_protocol(struct sb *out, const char *role);
void prompts_notify_lines(struct sb *out, const struct prompt_ctx *p);

#endif
