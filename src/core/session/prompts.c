/* Prompt building blocks shared by create-disposable-binding, app-heartbeat and worker rotation. */
#include "core/session/prompts.h"

#include <string.h>

#include "util/shell.h"

/* Appends "<prog> <verb> '<task>'<middle> --path '<db>'<tail>": the shape of every task-scoped command. */
void prompts_command(struct sb *out, const struct prompt_ctx *p, const char *verb, const char *middle,
		     const char *tail)
{
	sb_addf(out, "%s %s ", p->prog, verb);
	shell_quote(out, p->task);
	sb_adds(out, middle);
	sb_adds(out, " --path ");
	shell_quote(out, p->db);
	sb_adds(out, tail);
}

/* Appends the seven lines of the visible session protocol for role (worker or manager): the markers an operator
 * reads in the agent's own thread to follow what it polled, received, did and sent. */
void prompts_visible_protocol(struct sb *out, const char *role)
{
	int worker = strcmp(role, "worker") == 0;
	const char *peer = worker ? "manager" : "worker";
	sb_addf(out,
		"Visible session protocol, required for operator review: print each marker below on its own line in "
		"this thread as you go.\n"
		"Before each inbox poll, print: CONVEYOR POLL %s-inbox\n"
		"If the poll consumes nothing, print one line, CONVEYOR IDLE, and nothing else for that poll.\n"
		"When an item is consumed, print: CONVEYOR RECEIVED <item id> <one-line summary of the instruction>\n"
		"Before each significant step of the work, print: WORK <what you are doing>\n"
		"Before notifying the %s, print: CONVEYOR SEND <one-line summary>; after the dispatch command, print: "
		"DISPATCH <its result>\n"
		"End every turn that consumed an item with a final summary: files changed, commands run, evidence, "
		"residual risk and the next step.\n",
		role, peer);
}

/* Appends the worker's "notify the manager durably" lines: the notify and one-shot dispatch commands. */
void prompts_notify_lines(struct sb *out, const struct prompt_ctx *p)
{
	sb_adds(out, "Run: ");
	prompts_command(out, p, "enqueue-notify-manager",
			" --message '<compact completion/blocker report with files, commands, evidence, residual risk, "
			"and next recommended worker task>' --correlation-id '<worker-result-id>'",
			" --json");
	sb_addf(out, "\nThen run: %s dispatch --watch --watch-iterations 1 --interval 2 --dispatcher-id dispatch-local "
		     "--path ",
		p->prog);
	shell_quote(out, p->db);
	sb_adds(out, " --json\nIf either notify/dispatch command fails, include that failure as the blocker and do not "
		     "claim the manager was notified.\n");
}
