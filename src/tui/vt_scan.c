/* Scanning the child's output before libvterm parses it (docs/terminal-panes.md, "The plain-line fast path"):
 * vt.c feeds every byte it gives libvterm through vt_scan_feed, which follows, across reads, the few modes under
 * which a line of printable ASCII is not simply written on the cursor's row. It errs on the safe side: a mode it
 * cannot be sure is off counts as on (the fast path is then not taken, never wrong). */
#include "tui/vt_scan.h"

#include <string.h>

enum { SCAN_GROUND, SCAN_ESC, SCAN_CSI, SCAN_DESIG, SCAN_STRING, SCAN_STRING_ESC };

/* Where an OSC or DCS string left unterminated at the end of b[0, n) starts, or n if none is (libvterm 0.1.4
 * drops such a string when it is split across two writes). */
size_t vt_scan_open_string(const char *b, size_t n)
{
	size_t open = n;
	for (size_t i = 0; i < n; i++) {
		if (open == n) {
			const char *esc = memchr(b + i, 0x1b, n - i);
			if (!esc)
				break;
			i = (size_t)(esc - b);
			if (i + 1 < n && (b[i + 1] == ']' || b[i + 1] == 'P')) {
				open = i;
				i++;
			}
		} else if (b[i] == 0x07 || b[i] == 0x18 || b[i] == 0x1a) {
			open = n;
		} else if (b[i] == 0x1b && i + 1 < n) {
			open = n;
			if (b[i + 1] == '\\')
				i++;
			else
				i--;
		}
	}
	return open;
}

/* Forgets every mode (RIS, DECSTR). */
static void scan_reset(struct vt_scan *sc)
{
	sc->region = sc->lrmm = sc->g0_other = sc->shifted = sc->single = sc->saved_other = false;
}

/* Restores the cursor state (DECRC, SCORC): whatever was saved, or kept, is assumed. */
static void scan_restore(struct vt_scan *sc)
{
	if (sc->saved_other)
		sc->g0_other = sc->shifted = true;
}

/* Follows a byte outside any sequence: controls that shift character sets, and UTF-8 characters. */
static void scan_ground(struct vt_scan *sc, unsigned char c)
{
	if (c == 0x1b) {
		sc->state = SCAN_ESC;
	} else if (c == 0x0e || c == 0x0f) {
		sc->shifted = c == 0x0e;
	} else if (c >= 0x80 && c < 0xc0) {
		sc->utf8_left = sc->utf8_left ? sc->utf8_left - 1 : 0;
	} else if (c >= 0xc0) {
		sc->utf8_left = c < 0xe0 ? 1 : c < 0xf0 ? 2 : c < 0xf8 ? 3 : 0;
	} else {
		sc->utf8_left = 0;
		if (c >= 0x20)
			sc->single = false;
	}
}

/* Follows the byte after ESC. */
static void scan_esc(struct vt_scan *sc, unsigned char c)
{
	sc->state = SCAN_GROUND;
	if (c == '[') {
		sc->state = SCAN_CSI;
		sc->dec_private = sc->bang = sc->has_params = sc->lrmm_set = false;
		sc->param = 0;
	} else if (c >= 0x20 && c <= 0x2f) {
		sc->state = SCAN_DESIG;
		sc->which = c;
		sc->param = 0;
	} else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
		sc->state = SCAN_STRING;
	} else if (c == 'c') {
		scan_reset(sc);
	} else if (c == '7') {
		sc->saved_other = sc->g0_other || sc->shifted;
	} else if (c == '8') {
		scan_restore(sc);
	} else if (c == 'n' || c == 'o') {
		sc->shifted = true;
	} else if (c == 'N' || c == 'O') {
		sc->single = true;
	} else if (c == 0x1b) {
		sc->state = SCAN_ESC;
	}
}

/* Follows a byte of ESC + intermediates + final (ESC ( B designates ASCII as G0; anything else for G0 counts as
 * not ASCII). */
static void scan_desig(struct vt_scan *sc, unsigned char c)
{
	if (c >= 0x20 && c <= 0x2f) {
		sc->param++;
		return;
	}
	if (c >= 0x30 && c <= 0x7e && sc->which == '(')
		sc->g0_other = !(c == 'B' && sc->param == 0);
	sc->state = c == 0x1b ? SCAN_ESC : SCAN_GROUND;
}

/* Acts on the final byte of a CSI sequence: scroll region, left/right margin mode, soft reset, save/restore. */
static void scan_csi_final(struct vt_scan *sc, unsigned char c)
{
	sc->state = SCAN_GROUND;
	sc->lrmm_set = sc->lrmm_set || sc->param == 69;
	if (c == 'r' && !sc->dec_private && !sc->bang)
		sc->region = sc->has_params;
	else if ((c == 'h' || c == 'l') && sc->dec_private && sc->lrmm_set)
		sc->lrmm = c == 'h';
	else if (c == 'p' && sc->bang)
		scan_reset(sc);
	else if (c == 's' && !sc->dec_private && !sc->has_params)
		sc->saved_other = sc->g0_other || sc->shifted;
	else if (c == 'u' && !sc->dec_private && !sc->has_params)
		scan_restore(sc);
}

/* Follows a byte inside a CSI sequence (C0 controls in it still act). */
static void scan_csi(struct vt_scan *sc, unsigned char c)
{
	if (c >= '0' && c <= '9') {
		sc->param = sc->param < 100000 ? sc->param * 10 + (c - '0') : sc->param;
		sc->has_params = true;
	} else if (c == ';' || c == ':') {
		sc->lrmm_set = sc->lrmm_set || sc->param == 69;
		sc->param = 0;
		sc->has_params = true;
	} else if (c >= 0x3c && c <= 0x3f) {
		sc->dec_private = true;
	} else if (c == '!') {
		sc->bang = true;
	} else if (c >= 0x20 && c <= 0x2f) {
		sc->dec_private = true; /* other intermediates: nothing this scanner follows */
	} else if (c >= 0x40 && c <= 0x7e) {
		scan_csi_final(sc, c);
	} else if (c == 0x1b) {
		sc->state = SCAN_ESC;
	} else if (c == 0x18 || c == 0x1a) {
		sc->state = SCAN_GROUND;
	} else if (c == 0x0e || c == 0x0f) {
		sc->shifted = c == 0x0e;
	}
}

/* Follows the bytes b[0, n) that libvterm is about to parse. */
void vt_scan_feed(struct vt_scan *sc, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		switch (sc->state) {
		case SCAN_GROUND:
			scan_ground(sc, c);
			break;
		case SCAN_ESC:
			scan_esc(sc, c);
			break;
		case SCAN_CSI:
			scan_csi(sc, c);
			break;
		case SCAN_DESIG:
			scan_desig(sc, c);
			break;
		case SCAN_STRING:
			if (c == 0x1b)
				sc->state = SCAN_STRING_ESC;
			else if (c == 0x07 || c == 0x18 || c == 0x1a)
				sc->state = SCAN_GROUND;
			break;
		default: /* SCAN_STRING_ESC: ESC \ ends the string, any other ESC starts a sequence */
			if (c == '\\')
				sc->state = SCAN_GROUND;
			else
				scan_esc(sc, c);
			break;
		}
	}
}

/* Whether plain text would be written as it is: outside any sequence and UTF-8 character, no scroll region or
 * left/right margins, ASCII in GL, no single shift pending. */
bool vt_scan_plain(const struct vt_scan *sc)
{
	return sc->state == SCAN_GROUND && !sc->utf8_left && !sc->region && !sc->lrmm && !sc->g0_other &&
	       !sc->shifted && !sc->single;
}
