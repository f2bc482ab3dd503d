/* Text drawing for the cockpit: UTF-8 decoded, control characters (C0, DEL, C1) dropped, clipped by columns. */
#include "tui/tui_draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static int draw_no_color = 1;

/* Sets up the colour pairs of the roles (nothing when NO_COLOR is set or the terminal has no colours). */
void draw_colors_init(int no_color)
{
	draw_no_color = no_color || !has_colors();
	if (draw_no_color)
		return;
	start_color();
	use_default_colors();
	init_pair(TC_OK, COLOR_GREEN, -1);
	init_pair(TC_WARN, COLOR_YELLOW, -1);
	init_pair(TC_ERR, COLOR_RED, -1);
	init_pair(TC_INFO, COLOR_CYAN, -1);
	init_pair(TC_DIM, COLOR_BLUE, -1);
	init_pair(TC_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(TC_SEL, COLOR_BLACK, COLOR_WHITE);
}

/* The attribute of a colour role: its pair, or a plain attribute that reads without colour. */
int draw_attr(enum tui_color c)
{
	if (draw_no_color) {
		static const int plain[] = {0, 0, A_BOLD, A_BOLD | A_UNDERLINE, 0, A_DIM, A_REVERSE, A_REVERSE};
		return plain[c];
	}
	return c == TC_ERR || c == TC_TITLE ? (int)(COLOR_PAIR(c) | A_BOLD) : (int)COLOR_PAIR(c);
}

/* The colour of a lifecycle, asset or assignment state. */
int draw_state_attr(const char *state)
{
	static const struct {
		const char *state;
		enum tui_color color;
	} map[] = {
		{"active", TC_OK},        {"approved", TC_OK},   {"published", TC_OK},  {"done", TC_OK},
		{"idle", TC_INFO},        {"planned", TC_INFO},  {"queued", TC_INFO},   {"draft", TC_INFO},
		{"stale", TC_WARN},       {"needs_thread", TC_WARN}, {"needs_session", TC_WARN},
		{"needs_review", TC_WARN}, {"busy", TC_WARN},
		{"blocked", TC_ERR},      {"rejected", TC_ERR},  {"failed", TC_ERR},
		{"archived", TC_DIM},     {"cancelled", TC_DIM}, {"gone", TC_DIM},
	};
	for (size_t i = 0; state && i < sizeof map / sizeof *map; i++)
		if (strcmp(map[i].state, state) == 0)
			return draw_attr(map[i].color);
	return 0;
}

/* Draws s at (y, x) in at most width columns with attr; control characters and invalid bytes are skipped.
 * Returns the columns used. */
int draw_text(int y, int x, int width, const char *s, int attr)
{
	if (!s || width <= 0)
		return 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int used = 0;
	move(y, x);
	attron(attr);
	size_t left = strlen(s);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			s++, left--;
			continue;
		}
		if (n == 0)
			break;
		s += n, left -= n;
		if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
			continue;
		int w = wcwidth(wc);
		if (w < 0)
			continue;
		if (used + w > width)
			break;
		cchar_t cc;
		wchar_t str[2] = {wc, 0};
		setcchar(&cc, str, (attr_t)attr, PAIR_NUMBER(attr), NULL);
		add_wch(&cc);
		used += w;
	}
	attroff(attr);
	return used;
}

/* draw_text with printf formatting (the arguments are cleaned like any other text). */
int draw_textf(int y, int x, int width, int attr, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return draw_text(y, x, width, buf, attr);
}

/* Paints width blank columns at (y, x) with attr. */
void draw_fill(int y, int x, int width, int attr)
{
	attron(attr);
	for (int i = 0; i < width; i++)
		mvaddch(y, x + i, ' ');
	attroff(attr);
}
