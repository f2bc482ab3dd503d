#ifndef CONVEYOR_VT_SCAN_H
#define CONVEYOR_VT_SCAN_H
/* What a pane terminal must know about the child's output before libvterm parses it: where an unfinished
 * OSC/DCS string starts, and the modes under which plain text is not simply written as it is (a scroll region,
 * left/right margins, a character set other than ASCII). Internal to src/tui/vt*.c; knows nothing of libvterm. */
#include <stdbool.h>
#include <stddef.h>

/* A small parser of escape sequences that follows those modes across reads (a sequence may be split). */
struct vt_scan {
	unsigned char state;	/* where the parser is in a sequence (vt_scan.c) */
	unsigned char which;	/* ESC ( ) * +: which set a designation names */
	bool dec_private;	/* CSI ? ... (or another prefix or intermediate this parser ignores) */
	bool bang;		/* CSI ! ... */
	bool has_params;	/* CSI with digits or ';' */
	unsigned param;		/* the current CSI parameter */
	bool lrmm_set;		/* the parameters so far include 69 (DECLRMM) */
	unsigned char utf8_left; /* continuation bytes the last UTF-8 character still needs */
	bool region;		/* a scroll region may be set (CSI t;b r; CSI r clears it) */
	bool lrmm;		/* left/right margin mode (CSI ? 69 h) */
	bool g0_other;		/* G0 is not ASCII */
	bool shifted;		/* GL is not G0 (SO, LS2, LS3) */
	bool single;		/* a single shift (SS2, SS3) applies to the next character */
	bool saved_other;	/* DECSC/SCOSC saved a state with either of the two above (restoring assumes it) */
};

size_t vt_scan_open_string(const char *b, size_t n);
void vt_scan_feed(struct vt_scan *sc, const char *b, size_t n);
bool vt_scan_plain(const struct vt_scan *sc);

#endif
