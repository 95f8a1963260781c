/// CNCursesShim: the one place where ncurses macros and mutable C globals are wrapped for Swift.
///
/// Swift 6 cannot import function-like macros (A_BOLD, getmaxyx, KEY_F) and refuses mutable globals
/// (stdscr, LINES, COLS, COLORS) under strict concurrency, and the wide-character API is only declared
/// when _XOPEN_SOURCE_EXTENDED and NCURSES_WIDECHAR are defined before curses.h is included.
#ifndef PG_NCURSES_SHIM_H
#define PG_NCURSES_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* wcwidth */
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>
#include <unistd.h>
#include <ncursesw/curses.h>

// MARK: - Globals

static inline WINDOW *pg_stdscr(void) { return stdscr; }
static inline int pg_lines(void) { return LINES; }
static inline int pg_cols(void) { return COLS; }
static inline int pg_colors(void) { return COLORS; }
static inline int pg_color_pairs(void) { return COLOR_PAIRS; }

/// Window size as (rows, columns); getmaxyx is a macro.
static inline void pg_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y = 0, x = 0;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}

/// A curses screen on this process's stdout/stdin for $TERM, or NULL (unlike initscr, which exits).
static inline SCREEN *pg_newterm(void) { return newterm(NULL, stdout, stdin); }

// MARK: - Attributes

static inline attr_t pg_a_normal(void) { return WA_NORMAL; }
static inline attr_t pg_a_bold(void) { return WA_BOLD; }
static inline attr_t pg_a_dim(void) { return WA_DIM; }
static inline attr_t pg_a_reverse(void) { return WA_REVERSE; }
static inline attr_t pg_a_underline(void) { return WA_UNDERLINE; }

// MARK: - Keys

static inline int pg_key_f(int n) { return KEY_F(n); }
static inline int pg_key_code_yes(void) { return KEY_CODE_YES; }

/// Reads one wide key with the window's timeout. Returns OK (character in *out), KEY_CODE_YES
/// (function key code in *out) or ERR (no key before the timeout).
static inline int pg_get_wch(WINDOW *win, uint32_t *out) {
    wint_t ch = 0;
    int status = wget_wch(win, &ch);
    *out = (uint32_t)ch;
    return status;
}

// MARK: - Cells

/// Writes one cell: up to two scalars (base plus one combining mark), attributes and an extended colour pair.
static inline int pg_put_cell(WINDOW *win, int y, int x, uint32_t first, uint32_t second, attr_t attrs, int pair) {
    wchar_t text[3] = { (wchar_t)first, (wchar_t)second, 0 };
    cchar_t cell;
    memset(&cell, 0, sizeof cell);
    if (setcchar(&cell, text, attrs, 0, &pair) == ERR) { return ERR; }
    return mvwadd_wch(win, y, x, &cell);
}

// MARK: - Colours

static inline int pg_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }
/// Redefines a colour; components are 0...1000 as in curses.
static inline int pg_init_color(int color, int r, int g, int b) { return init_extended_color(color, r, g, b); }
static inline int pg_can_change_color(void) { return can_change_color() ? 1 : 0; }
static inline int pg_has_colors(void) { return has_colors() ? 1 : 0; }

// MARK: - Locale and tty

/// 1 when the current LC_CTYPE code set is UTF-8.
static inline int pg_codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0) ? 1 : 0;
}

/// Column width of a scalar in the current locale (-1 for non-printable), for checking glyph sets.
static inline int pg_wcwidth(uint32_t scalar) { return wcwidth((wchar_t)scalar); }

// MARK: - Restoring the terminal

/// Marks curses as owning the screen, so that the signal handlers call endwin() before dying.
void pg_set_curses_active(int active);

/// Installs (once) an atexit hook and handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT and the crash signals (SIGSEGV, SIGILL,
/// SIGTRAP, SIGBUS, SIGABRT, SIGFPE) that call endwin() when curses is active, then hand the signal
/// to the previous handler (so the Swift backtracer still runs) or re-raise it with the default action.
void pg_install_restore_handlers(void);

#endif
