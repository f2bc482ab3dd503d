/* Key names: parsing them (keys.conf) and writing them (help), and the key code of what curses read. */
#include "tui/tui_keyname.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/tui_keys.h"

/* Named keys, the name help writes first; aliases after it. */
static const struct {
	const char *name;
	int key;
} keyname_names[] = {
	{"Enter", '\r'},
	{"Esc", 27},
	{"Escape", 27},
	{"Space", ' '},
	{"Tab", '\t'},
	{"BTab", KEYS_CODE(KEY_BTAB)},
	{"BSpace", KEYS_CODE(KEY_BACKSPACE)},
	{"Up", KEYS_CODE(KEY_UP)},
	{"Down", KEYS_CODE(KEY_DOWN)},
	{"Left", KEYS_CODE(KEY_LEFT)},
	{"Right", KEYS_CODE(KEY_RIGHT)},
	{"PgUp", KEYS_CODE(KEY_PPAGE)},
	{"PageUp", KEYS_CODE(KEY_PPAGE)},
	{"PPage", KEYS_CODE(KEY_PPAGE)},
	{"PgDn", KEYS_CODE(KEY_NPAGE)},
	{"PageDown", KEYS_CODE(KEY_NPAGE)},
	{"NPage", KEYS_CODE(KEY_NPAGE)},
	{"Home", KEYS_CODE(KEY_HOME)},
	{"End", KEYS_CODE(KEY_END)},
	{"IC", KEYS_CODE(KEY_IC)},
	{"Insert", KEYS_CODE(KEY_IC)},
	{"DC", KEYS_CODE(KEY_DC)},
	{"Delete", KEYS_CODE(KEY_DC)},
};

#define KEYNAME_FKEYS 12

/* The key code of a key name (exact for one character, any case for names and C-x), or -1 when it is not one. */
int keyname_parse(const char *name)
{
	size_t len = strlen(name);
	if (len == 1)
		return name[0] > ' ' && name[0] < 0x7f ? name[0] : -1;
	if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-') {
		char c = name[2] >= 'A' && name[2] <= 'Z' ? (char)(name[2] - 'A' + 'a') : name[2];
		return c >= 'a' && c <= 'z' ? c & 0x1f : -1;
	}
	for (size_t i = 0; i < sizeof keyname_names / sizeof *keyname_names; i++)
		if (strcasecmp(keyname_names[i].name, name) == 0)
			return keyname_names[i].key;
	if ((name[0] == 'F' || name[0] == 'f') && len <= 3 && name[1] >= '1' && name[1] <= '9' &&
	    strspn(name + 1, "0123456789") == len - 1) {
		int n = atoi(name + 1);
		return n <= KEYNAME_FKEYS ? KEYS_CODE(KEY_F(n)) : -1;
	}
	return -1;
}

/* Writes the name of a key code into buf: the first name of a named key, C-x, F<n>, the character itself, or
 * the number for any other code. */
void keyname_format(int key, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof keyname_names / sizeof *keyname_names; i++)
		if (keyname_names[i].key == key) {
			snprintf(buf, len, "%s", keyname_names[i].name);
			return;
		}
	if (key >= 1 && key <= 26)
		snprintf(buf, len, "C-%c", 'a' + key - 1);
	else if (key > ' ' && key < 0x7f)
		snprintf(buf, len, "%c", key);
	else if (key >= KEYS_CODE(KEY_F(1)) && key <= KEYS_CODE(KEY_F(KEYNAME_FKEYS)))
		snprintf(buf, len, "F%d", key - KEYS_CODE(KEY_F0));
	else
		snprintf(buf, len, "0x%x", (unsigned)key);
}

/* The key code of what get_wch read (a character, or a curses key code when is_code): Enter, whether it came as
 * CR, LF or KEY_ENTER, is '\r', and DEL is BSpace. */
int keyname_code(unsigned ch, int is_code)
{
	if (is_code)
		return ch == KEY_ENTER ? '\r' : KEYS_CODE((int)ch);
	if (ch == '\n')
		return '\r';
	return ch == 0x7f ? KEYS_CODE(KEY_BACKSPACE) : (int)ch;
}
