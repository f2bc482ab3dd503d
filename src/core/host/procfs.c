/* Reads /proc to find the rollout JSONL that a Codex process (or one of its descendants) keeps open. */
#include "core/host/procfs.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether a process with this pid exists (kill(pid, 0) succeeds or is only refused for permission). */
int procfs_alive(long pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* The parent pid of pid from /proc/<pid>/stat (the field after the parenthesised command name), or -1. */
static long procfs_ppid(long pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *close = strrchr(buf, ')');
	char state;
	long ppid;
	if (!close || sscanf(close + 1, " %c %ld", &state, &ppid) != 2)
		return -1;
	return ppid;
}

/* A growable list of pids. */
struct pids {
	long *v;
	size_t n, cap;
};

/* Appends pid to the list. */
static void pids_add(struct pids *p, long pid)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = realloc(p->v, p->cap * sizeof *p->v);
		if (!p->v)
			abort();
	}
	p->v[p->n++] = pid;
}

/* pid and all its descendants, found by reading every process's parent from /proc. */
static void procfs_tree(long pid, struct pids *out)
{
	struct pids all = {0}, parents = {0};
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char *end;
		long p = strtol(de->d_name, &end, 10);
		if (*end || p <= 0)
			continue;
		pids_add(&all, p);
		pids_add(&parents, procfs_ppid(p));
	}
	if (d)
		closedir(d);
	pids_add(out, pid);
	for (size_t i = 0; i < out->n; i++)
		for (size_t j = 0; j < all.n; j++)
			if (parents.v[j] == out->v[i])
				pids_add(out, all.v[j]);
	free(all.v);
	free(parents.v);
}

/* Whether path looks like a Codex rollout: .../sessions/.../rollout-*.jsonl. */
static int procfs_is_rollout(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len = strlen(path);
	return base && strstr(path, "/sessions/") && strncmp(base + 1, "rollout-", 8) == 0 && len > 6 &&
	       strcmp(path + len - 6, ".jsonl") == 0;
}

/* Considers every open file of pid, keeping in *best the rollout modified most recently; returns 1 when one of
 * pid's files became *best. */
static int procfs_scan_fds(long pid, char **best, struct timespec *best_mtime)
{
	int found = 0;
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%ld/fd", pid);
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char link[400], target[PATH_MAX];
		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof link, "%s/%s", dir, de->d_name);
		ssize_t n = readlink(link, target, sizeof target - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		struct stat st;
		if (!procfs_is_rollout(target) || stat(target, &st) != 0)
			continue;
		if (!*best || st.st_mtim.tv_sec > best_mtime->tv_sec ||
		    (st.st_mtim.tv_sec == best_mtime->tv_sec && st.st_mtim.tv_nsec > best_mtime->tv_nsec)) {
			free(*best);
			*best = strdup(target);
			*best_mtime = st.st_mtim;
			found = 1;
		}
	}
	if (d)
		closedir(d);
	return found;
}

/* The rollout file that pid or one of its descendants has open (the newest if several); caller frees. *holder
 * gets the pid of the process that has it open. */
char *procfs_find_rollout_holder(long pid, long *holder, struct err *e)
{
	if (!procfs_alive(pid))
		return err_null(e, EXIT_USAGE, "no process with pid %ld is running", pid);
	struct pids tree = {0};
	procfs_tree(pid, &tree);
	char *best = NULL;
	struct timespec mtime = {0};
	for (size_t i = 0; i < tree.n; i++)
		if (procfs_scan_fds(tree.v[i], &best, &mtime))
			*holder = tree.v[i];
	free(tree.v);
	if (!best)
		return err_null(e, EXIT_USAGE,
				"no Codex rollout file (sessions/.../rollout-*.jsonl) is open by pid %ld or its "
				"children; pass --codex-session ROLLOUT.jsonl",
				pid);
	return best;
}

/* The rollout file that pid or one of its descendants has open (the newest if several); caller frees. */
char *procfs_find_rollout(long pid, struct err *e)
{
	long holder;
	return procfs_find_rollout_holder(pid, &holder, e);
}

/* The largest pid this system hands out (/proc/sys/kernel/pid_max), or Linux's upper limit when unreadable. */
long long procfs_pid_max(void)
{
	long long max = 4194304; /* PID_MAX_LIMIT on 64-bit Linux */
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	if (f) {
		if (fscanf(f, "%lld", &max) != 1 || max < 1)
			max = 4194304;
		fclose(f);
	}
	return max;
}
