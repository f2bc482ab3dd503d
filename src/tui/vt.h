#ifndef CONVEYOR_VT_H
#define CONVEYOR_VT_H
/* A pane terminal: a child process on a PTY, interpreted by libvterm (docs/terminal-panes.md).
 * The rest of the cockpit sees "feed bytes in, get dirty rows out, draw cells"; only vt.c calls libvterm. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vt;

/* Codepoints one cell can hold: a base character and its combining marks. */
#define VT_MAX_CHARS 6

/* Cell attributes (struct vt_cell.attrs). */
enum {
	VT_BOLD = 1,
	VT_UNDERLINE = 2,
	VT_ITALIC = 4,
	VT_BLINK = 8,
	VT_REVERSE = 16,
	VT_STRIKE = 32,
};

enum vt_color_kind { VT_COLOR_DEFAULT, VT_COLOR_INDEX, VT_COLOR_RGB };

/* A cell colour: the terminal's default, an index into the 256-colour palette, or 24-bit RGB. */
struct vt_color {
	uint8_t kind;
	uint8_t index;
	uint8_t r, g, b;
};

/* One cell as drawn. chars holds codepoints (never a C0/C1 control or DEL), zero-terminated when shorter than
 * VT_MAX_CHARS; chars[0] == 0 is a blank cell. width is 1, 2 (left half of a wide character) or 0 (the right
 * half of a wide character: draw nothing there). */
struct vt_cell {
	uint32_t chars[VT_MAX_CHARS];
	uint8_t width;
	uint8_t attrs;
	struct vt_color fg, bg;
};

/* vt_pump() result bits. */
enum { VT_CHANGED = 1, VT_EOF = 2 };

/* The TERM value children get: libvterm emulates xterm, so xterm-256color (always shipped by ncurses-base). */
#define VT_TERM "xterm-256color"

struct vt *vt_spawn(const char *const argv[], int rows, int cols, const char *cwd, const char *const env[],
		    int scrollback);
void vt_free(struct vt *vt);
int vt_fd(const struct vt *vt);
int vt_pid(const struct vt *vt);
int vt_pump(struct vt *vt);
bool vt_input_bytes(struct vt *vt, const char *buf, size_t len);
bool vt_input_key(struct vt *vt, int key, bool is_code);
bool vt_wants_write(const struct vt *vt);
void vt_flush(struct vt *vt);
void vt_resize(struct vt *vt, int rows, int cols);
void vt_size(const struct vt *vt, int *rows, int *cols);
const unsigned char *vt_dirty_rows(struct vt *vt);
void vt_clear_dirty(struct vt *vt);
bool vt_cursor(struct vt *vt, int *row, int *col);
const char *vt_title(const struct vt *vt);
bool vt_reap(struct vt *vt);
bool vt_exited(const struct vt *vt);
int vt_wait_status(const struct vt *vt);
void vt_state_text(const struct vt *vt, char *buf, size_t len);
int vt_scrollback(struct vt *vt);
size_t vt_pushed(struct vt *vt);
size_t vt_scrollback_bytes(struct vt *vt);
void vt_cell(struct vt *vt, int row, int col, int offset, struct vt_cell *cell);
char *vt_text(struct vt *vt, int row0, int col0, int row1, int col1, int offset);

#endif
