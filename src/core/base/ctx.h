#ifndef CONVEYOR_CTX_H
#define CONVEYOR_CTX_H
/* What a handler runs with: the database (opened lazily, after validation), the fixed "now" and output names. */
#include "util/clock.h"
#include "core/base/err.h"
#include "util/sb.h"

struct store;

struct ctx {
	const char *prog;          /* "conveyor" or "workerctl", for generated command strings */
	char *db_path;             /* absolute database path */
	long long now_ms;          /* one instant for the whole command */
	char now[CLOCK_ISO_LEN];   /* now_ms in millisecond form */
	unsigned pre;              /* the running entry's enum cmd_pre bits */
	int dry_run;               /* --dry-run on a writing command: roll back instead of commit */
	struct store *store;       /* open store (owned by the caller) or NULL until ctx_db */
	int owns_store;            /* ctx_db opened it, ctx_close closes it */
	int in_tx;                 /* a transaction is open */
	char notice[1024];         /* what opening the database changed, for the operator ("" when nothing) */
	int state_dir;             /* the database is in conveyor's state directory (no --path): keep it private */
};

int ctx_init(struct ctx *c, const char *prog, const char *path_flag, struct err *e);
struct store *ctx_db(struct ctx *c, struct err *e);
int ctx_finish(struct ctx *c, int ok, struct err *e);
int ctx_release(struct ctx *c, struct err *e);
void ctx_close(struct ctx *c);
void ctx_path_flag(const struct ctx *c, struct sb *out);

#endif
