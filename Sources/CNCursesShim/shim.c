// Signal handlers that give the terminal back before the process dies.
#include "shim.h"
#include <signal.h>
#include <stdlib.h>

static volatile sig_atomic_t pg_curses_active = 0;
static const int pg_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGABRT, SIGFPE };
enum { PG_SIGNAL_COUNT = sizeof pg_signals / sizeof pg_signals[0] };
static struct sigaction pg_previous[PG_SIGNAL_COUNT];
static int pg_installed = 0;

void pg_set_curses_active(int active) { pg_curses_active = active ? 1 : 0; }

static void pg_restore_and_forward(int sig) {
    if (pg_curses_active) {
        pg_curses_active = 0;
        endwin();
    }
    for (int i = 0; i < PG_SIGNAL_COUNT; i++) {
        if (pg_signals[i] != sig) { continue; }
        // Put back what was there before us; ncurses' own or the Swift runtime's handler, or SIG_DFL.
        sigaction(sig, &pg_previous[i], NULL);
        break;
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, sig);
    sigprocmask(SIG_UNBLOCK, &mask, NULL);
    raise(sig);
}

static void pg_restore_at_exit(void) {
    if (pg_curses_active) {
        pg_curses_active = 0;
        endwin();
    }
}

void pg_install_restore_handlers(void) {
    if (pg_installed) { return; }
    pg_installed = 1;
    atexit(pg_restore_at_exit);
    for (int i = 0; i < PG_SIGNAL_COUNT; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = pg_restore_and_forward;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_NODEFER;
        sigaction(pg_signals[i], &action, &pg_previous[i]);
        if (pg_previous[i].sa_handler == SIG_IGN) {
            // A signal the parent told us to ignore (nohup, background jobs) stays ignored.
            sigaction(pg_signals[i], &pg_previous[i], NULL);
        }
    }
}
