/* Benchmark of the pane terminal layer (docs/terminal-panes.md), built and run by bench/vt.sh.
 *
 *   vt_bench throughput N        time for `seq 1 N` to run to EOF in one 40x120 pane, pumped as the cockpit
 *                                does (poll, vt_pump, dirty rows read and cleared as if drawn after every read)
 *   vt_bench memory seq|ls|lscolor
 *                                8 panes of 40x120, each filled with at least 10,000 scrollback lines of
 *                                `seq`, `ls -l /usr/bin` or `ls -l --color=always /usr/bin` output; prints RSS
 *                                (VmRSS), heap in use (mallinfo2) and the scrollback bytes per line */
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/vt.h"

#define PANES 8
#define ROWS 40
#define COLS 120
#define SCROLLBACK 10000

/* Milliseconds on the monotonic clock. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* This process's resident set size in kB (VmRSS of /proc/self/status). */
static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* Bytes of heap in use, including blocks malloc mapped separately. */
static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

/* Pumps every pane with poll() until all reach EOF; returns the number of vt_pump calls. */
static long pump_all(struct vt **vts, int n)
{
	long pumps = 0;
	for (;;) {
		struct pollfd p[PANES];
		int live = 0;
		for (int i = 0; i < n; i++) {
			p[i] = (struct pollfd){ .fd = vt_fd(vts[i]), .events = POLLIN };
			live += p[i].fd >= 0;
		}
		if (!live)
			return pumps;
		if (poll(p, (nfds_t)n, 5000) <= 0) {
			fprintf(stderr, "vt_bench: no output for 5 s\n");
			exit(2);
		}
		for (int i = 0; i < n; i++)
			if (p[i].revents) {
				vt_pump(vts[i]);
				vt_dirty_rows(vts[i]); /* as a draw would: lines held back reach libvterm */
				vt_clear_dirty(vts[i]);
				pumps++;
			}
	}
}

/* Starts argv in a ROWS x COLS pane, or exits. */
static struct vt *start(const char *const argv[])
{
	struct vt *vt = vt_spawn(argv, ROWS, COLS, NULL, NULL, SCROLLBACK);
	if (!vt) {
		perror("vt_bench: vt_spawn");
		exit(2);
	}
	return vt;
}

/* Times `seq 1 count` to EOF in one pane. */
static void throughput(const char *count)
{
	double t0 = now_ms();
	struct vt *vt = start((const char *const[]){ "seq", "1", count, NULL });
	long pumps = pump_all(&vt, 1);
	double ms = now_ms() - t0;
	long lines = atol(count);
	printf("throughput: seq 1 %s in one %dx%d pane: %.0f ms (%.2f M lines/s, %ld pumps), %d lines kept\n", count,
	       ROWS, COLS, ms, lines / ms / 1e3, pumps, vt_scrollback(vt));
	vt_free(vt);
}

/* Fills PANES panes with the output of kind and reports the memory they use. */
static void memory(const char *kind)
{
	static const char *const seq[] = { "seq", "1", "12000", NULL };
	static const char *const ls[] = {
		"sh", "-c", "for i in $(seq 1 100); do ls -l /usr/bin; done | head -n 12000", NULL
	};
	static const char *const lscolor[] = {
		"sh", "-c", "for i in $(seq 1 100); do ls -l --color=always /usr/bin; done | head -n 12000", NULL
	};
	const char *const *argv;
	if (strcmp(kind, "seq") == 0)
		argv = seq;
	else if (strcmp(kind, "ls") == 0)
		argv = ls;
	else if (strcmp(kind, "lscolor") == 0)
		argv = lscolor;
	else {
		fprintf(stderr, "vt_bench: memory seq|ls|lscolor\n");
		exit(2);
	}
	long rss0 = rss_kb();
	struct vt *vts[PANES];
	for (int i = 0; i < PANES; i++)
		vts[i] = start(argv);
	size_t heap0 = heap_bytes();
	pump_all(vts, PANES);
	long rss1 = rss_kb();
	size_t heap1 = heap_bytes(), lines = 0, bytes = 0;
	for (int i = 0; i < PANES; i++) {
		lines += (size_t)vt_scrollback(vts[i]);
		bytes += vt_scrollback_bytes(vts[i]);
	}
	/* Per line in the heap: the malloc'd blocks (with the allocator's overhead) and the 8-byte ring slot, which
	 * was allocated (untouched) at spawn. */
	printf("memory %-7s: %d panes, %zu scrollback lines: RSS %ld kB (+%ld kB for the panes); "
	       "scrollback %.1f bytes/line encoded, %.1f bytes/line in the heap\n",
	       kind, PANES, lines, rss1, rss1 - rss0, (double)bytes / (double)lines,
	       (double)(heap1 - heap0) / (double)lines + 8.0);
	for (int i = 0; i < PANES; i++)
		vt_free(vts[i]);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "throughput") == 0)
		throughput(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "memory") == 0)
		memory(argv[2]);
	else {
		fprintf(stderr, "usage: vt_bench throughput N | vt_bench memory seq|ls|lscolor\n");
		return 2;
	}
	return 0;
}
