/* The handler context: database location, lazy open inside one transaction, and commit or rollback. */
#include "core/base/ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/base/paths.h"
#include "store/store.h"
#include "util/fs.h"
#include "util/shell.h"

/* Fills c for one command: the clock and the database path; nothing is opened yet. */
int ctx_init(struct ctx *c, const char *prog, const char *path_flag, struct err *e)
{
	memset(c, 0, sizeof *c);
	c->prog = prog;
	if (clock_now(&c->now_ms) != 0) {
		err_set(e, EXIT_USAGE, "CONVEYOR_NOW must be a UTC timestamp such as 2026-01-01T00:00:00.000Z");
		return -1;
	}
	clock_format_ms(c->now_ms, c->now);
	c->db_path = paths_db(path_flag, e);
	c->state_dir = !path_flag;
	return c->db_path ? 0 : -1;
}

/* Makes conveyor's own state directory (the default .codex-workers, or $WORKERCTL_STATE_ROOT; never a --path
 * directory, which may be anyone's, nor the root or the home directory a state root may name) private to its
 * owner, adding what changed to the notice. */
static void ctx_private_dir(struct ctx *c)
{
	char *dir = fs_dirname(c->db_path), changed[512] = "";
	const char *home = getenv("HOME");
	if (strcmp(dir, "/") != 0 && !(home && strcmp(dir, home) == 0))
		fs_private(dir, changed, sizeof changed);
	free(dir);
	if (changed[0])
		snprintf(c->notice + strlen(c->notice), sizeof c->notice - strlen(c->notice), "%s%s",
			 c->notice[0] ? ", " : "made private: ", changed);
}

/* Appends " --path '<db>'" to a command line conveyor writes for an agent when the database is not the one the
 * agent would find by default (./.codex-workers/workerctl.db, or $WORKERCTL_STATE_ROOT's), so the agent writes into
 * the same ledger. */
void ctx_path_flag(const struct ctx *c, struct sb *out)
{
	struct err e = {0};
	char *def = paths_db(NULL, &e);
	if (!def || strcmp(def, c->db_path) != 0) {
		sb_adds(out, " --path ");
		shell_quote(out, c->db_path);
	}
	free(def);
}

/* Opens the database on first use (writers create it, readers never do) and starts the command's transaction. */
struct store *ctx_db(struct ctx *c, struct err *e)
{
	int write = (c->pre & CMD_WRITES) != 0;
	if (!c->store) {
		char msg[512];
		enum store_open_mode mode = write && !c->dry_run ? STORE_CREATE : STORE_READ_MISSING;
		if (store_open(c->db_path, mode, c->now, &c->store, msg, sizeof msg) != 0)
			return err_null(e, EXIT_USAGE, "%s", msg);
		c->owns_store = 1;
		snprintf(c->notice, sizeof c->notice, "%s", store_notice(c->store));
		if (c->state_dir)
			ctx_private_dir(c);
	}
	if (!c->in_tx) {
		if (store_begin(c->store, write) != 0)
			return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		c->in_tx = 1;
	}
	return c->store;
}

/* Ends the command's transaction: commit when it succeeded and is not a dry run, else roll back. */
int ctx_finish(struct ctx *c, int ok, struct err *e)
{
	if (!c->in_tx)
		return 0;
	c->in_tx = 0;
	if (ok && (c->pre & CMD_WRITES) && !c->dry_run) {
		if (store_commit(c->store) != 0) {
			err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
			return -1;
		}
		return 0;
	}
	store_rollback(c->store);
	return 0;
}

/* Ends the open transaction early (committing what a writer did so far) so a handler can wait on a worker or
 * tmux without holding the database; the next ctx_db starts a new transaction. */
int ctx_release(struct ctx *c, struct err *e)
{
	return ctx_finish(c, 1, e);
}

/* Releases what the context owns. */
void ctx_close(struct ctx *c)
{
	if (c->owns_store)
		store_close(c->store);
	c->store = NULL;
	free(c->db_path);
	c->db_path = NULL;
}
