/* Curses set-up and teardown: the terminal is restored on quit, SIGINT/SIGTERM/SIGHUP (read from a self-pipe by
 * the loop) and fatal signals (restored right in the handler, then the signal is re-raised). */
#include "tui/tui_term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tui/tui_draw.h"

static int term_pipe[2] = {-1, -1};
static struct termios term_saved;
static int term_have_saved, term_active;

/* Async-signal-safe: queues the signal number for the loop. */
static void term_on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	if (write(term_pipe[1], &b, 1) < 0) {
		/* the pipe is full: the loop is already awake */
	}
	errno = saved;
}

/* Async-signal-safe: puts the terminal back (modes, main screen, cursor) and dies of the same signal. */
static void term_on_fatal(int sig)
{
	static const char reset[] = "\033[0m\033[?1000l\033[?1049l\033[?25h\r\n";
	if (term_have_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &term_saved);
	if (write(STDOUT_FILENO, reset, sizeof reset - 1) < 0) {
		/* nothing more can be done */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Installs handler for sig with SA_RESTART. */
static void term_catch(int sig, void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

/* Starts curses (UTF-8 locale, raw keys, no echo, keypad, no mouse unless asked); *no_color is set when NO_COLOR
 * is set or the terminal has no colours. 0, or -1 when there is no terminal. */
int term_start(int mouse, int *no_color)
{
	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	if (pipe2(term_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	term_have_saved = tcgetattr(STDIN_FILENO, &term_saved) == 0;
	if (!newterm(NULL, stdout, stdin))
		return -1;
	term_active = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(mouse ? ALL_MOUSE_EVENTS : 0, NULL);
	const char *nc = getenv("NO_COLOR");
	*no_color = nc && *nc;
	draw_colors_init(*no_color);
	term_catch(SIGINT, term_on_signal);
	term_catch(SIGTERM, term_on_signal);
	term_catch(SIGHUP, term_on_signal);
	term_catch(SIGWINCH, term_on_signal);
	term_catch(SIGCHLD, term_on_signal);
	signal(SIGPIPE, SIG_IGN);
	int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
		term_catch(fatal[i], term_on_fatal);
	atexit(term_stop);
	return 0;
}

/* Ends curses and restores the terminal (idempotent). */
void term_stop(void)
{
	if (!term_active)
		return;
	term_active = 0;
	endwin();
	if (term_have_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &term_saved);
}

/* The read end of the signal pipe, for poll(). */
int term_signal_fd(void)
{
	return term_pipe[0];
}

/* The next queued signal number, or 0 when none is left. */
int term_signal_next(void)
{
	unsigned char b;
	return read(term_pipe[0], &b, 1) == 1 ? b : 0;
}

/* Takes the new terminal size after SIGWINCH, staying on the alternate screen (endwin() would flash the shell's
 * screen and make tmux copy it back and forth at every step of a resize); the next refresh repaints everything. */
void term_resize(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return;
	resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}
