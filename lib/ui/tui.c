// SPDX-License-Identifier: GPL-2.0
/*
 * ior top's screen. Two threads when live: the capture thread runs the
 * session and feeds the dashboard under t->lock, letting go of it in each
 * tick when the screen thread asks (ui_lock); the screen thread draws at
 * a fixed rate and handles keys. Offline there is one thread: the trace is
 * read into the dashboard, again after each filter change.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <newt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <slang.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "filter.h"
#include "flame.h"
#include "parquet.h"
#include "printer.h"
#include "strtab.h"
#include "syscalls.h"
#include "trace-reader.h"
#include "trace-writer.h"
#include "tui.h"
#include "units.h"
#include "usage.h"
#include "utf8.h"

#define DRAW_MS 50 /* 20 frames a second at most */
#define MSG_MAX 512

enum { TAB_FLAME, TAB_OVERVIEW, TAB_SYSCALLS, TAB_FILES, TAB_PROCESSES, TAB_LATENCY, TAB_STREAM,
       NR_TABS };
static const char *const tab_names[NR_TABS] = {
	"Flame", "Overview", "Syscalls", "Files", "Processes", "Latency+Gaps", "Stream",
};

/* --- keys, as H and Documentation/ior-top.txt list them ---------------------- */

static const struct ior_top_key keys_global[] = {
	{ "1-7", "show that tab" },
	{ "tab, shift-tab", "next, previous tab" },
	{ "f", "type a filter (the --filter language) and push it" },
	{ "F, Esc", "pop the last filter" },
	{ "c", "clear the filters (the picked process stays)" },
	{ "p", "pick a process" },
	{ "t", "pick a thread" },
	{ "r", "reset: count from now on" },
	{ "R", "start or stop recording the filtered events (.ior.zst or .parquet)" },
	{ "e", "export the current view to CSV" },
	{ "E", "open the last export in $EDITOR ($VISUAL, vi)" },
	{ "H", "show or hide this help" },
	{ "q, ctrl-c", "quit" },
	{ NULL, NULL },
};
static const struct ior_top_key keys_flame[] = {
	{ "o", "next ordering of the frames" },
	{ "b", "next metric: count, bytes, duration, gap" },
	{ "h, l, left, right", "select the frame to the left, to the right" },
	{ "j, k, down, up", "select the parent, the widest child" },
	{ "Enter", "zoom into the selected frame" },
	{ "u, Esc", "unzoom" },
	{ "/", "search frames by regex; the others are greyed" },
	{ "n, N", "select the next, previous match" },
	{ "space", "pause or resume the graph" },
	{ NULL, NULL },
};
static const struct ior_top_key keys_overview[] = {
	{ NULL, NULL },
};
#define TABLE_KEYS                                                                 \
	{ "j, k, down, up", "select a row" },                                      \
	{ "h, l, left, right", "select a column" },                                \
	{ "PgUp, PgDn", "a page up, down" },                                       \
	{ "s", "sort by the selected column" },                                    \
	{ "S", "sort by the selected column, reversed" },                          \
	{ "Enter", "push a filter for the selected row" }
static const struct ior_top_key keys_syscalls[] = { TABLE_KEYS, { NULL, NULL } };
static const struct ior_top_key keys_files[] = {
	TABLE_KEYS,
	{ "d", "group by directory, or not" },
	{ NULL, NULL },
};
static const struct ior_top_key keys_processes[] = { TABLE_KEYS, { NULL, NULL } };
static const struct ior_top_key keys_latency[] = {
	{ "j, k, down, up", "show the next, previous syscall (or all)" },
	{ NULL, NULL },
};
static const struct ior_top_key keys_stream[] = {
	{ "space", "pause or resume the tail" },
	{ "h, j, k, l, arrows", "move the cell cursor (paused)" },
	{ "PgUp, PgDn", "a page up, down (paused)" },
	{ "Enter", "push a filter from the cell (paused)" },
	{ "/, ?", "search forward, backward by regex over every column (pauses)" },
	{ "n, N", "the next, previous match" },
	{ "x", "export the view to ior-stream-TIME.csv" },
	{ "X", "export the view to a CSV file you name" },
	{ NULL, NULL },
};

const struct ior_top_help ior_top_help[] = {
	{ "Global", keys_global },	  { "Flame", keys_flame },
	{ "Overview", keys_overview },	  { "Syscalls", keys_syscalls },
	{ "Files", keys_files },	  { "Processes", keys_processes },
	{ "Latency+Gaps", keys_latency }, { "Stream", keys_stream },
};
const int ior_top_nr_help = sizeof(ior_top_help) / sizeof(ior_top_help[0]);

/* --- state -------------------------------------------------------------------- */

enum { C_NORMAL, C_BAR, C_TAB, C_STATUS, C_SEL, C_HEAD, C_GREY, C_FSEL, C_WARN, C_MATCH, C_HELP,
       C_FLAME /* C_FLAME..C_FLAME+4 */ };
#define NR_FLAME_COLORS 5

struct top {
	struct ior_top_opts *o;
	struct ior_dash d;
	struct ior_flame_view fv;
	int nr_orders, order;
	struct ior_fv_ordering orders[8];

	/* live */
	pthread_mutex_t lock;
	atomic_int ui_waiting, started, done, screen_done; /* screen_done: its strings are free to go */
	pthread_t thread;
	int have_thread, capture_err;
	struct ior_session_result res;
	/* offline */
	struct ior_trace_reader *reader;

	int tab, help, help_top, rows, cols;
	int flame_paused;
	uint64_t overflows;

	struct ior_dash_rows table[IOR_TABLE__NR], ov_sys, ov_files;
	struct built { /* when a view was built from the aggregate */
		uint64_t updates, resets;
		double at, cost;
		int valid;
	} flame_b, table_b[IOR_TABLE__NR], ov_b;
	struct ior_hist lat_all, gap_all; /* of the overview's syscalls */
	int sel_row[IOR_TABLE__NR], top_row[IOR_TABLE__NR], sel_col[IOR_TABLE__NR];
	int files_by_dir;
	int lat_sel;

	int s_paused, s_col;
	long s_row, s_top; /* view row of the cursor and of the screen's first line */
	regex_t s_re;
	int has_s_re, s_backward;

	char msg[MSG_MAX];
	int msg_warn;
	char last_export[4096];

	struct ior_trace_writer *rec_w;
	struct ior_parquet *rec_pq;
	int rec_fd;
	char rec_path[4096];

	double t0, t_end, last_second, baseline;
	uint64_t frames;
	double draw_seconds;

	int errors_on, err_pipe, saved_stderr, loaded, errlog_full;
	char *errlog;
	size_t errlog_len, errlog_dropped;
	char errline[MSG_MAX];
	size_t errline_len;
};

static volatile sig_atomic_t top_signal, top_winch;
static int screen_up;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void say(struct top *t, int warn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(struct top *t, int warn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_warn = warn;
}

/* The screen thread takes the dashboard from the capture thread. */
static void ui_lock(struct top *t)
{
	atomic_fetch_add(&t->ui_waiting, 1);
	pthread_mutex_lock(&t->lock);
	atomic_fetch_sub(&t->ui_waiting, 1);
}

static void ui_unlock(struct top *t)
{
	pthread_mutex_unlock(&t->lock);
}

/* --- the terminal ------------------------------------------------------------- */

static volatile sig_atomic_t tty_gone; /* hung up: nothing to restore, nothing to wait for */

static void screen_down(void)
{
	if (!screen_up)
		return;
	screen_up = 0;
	if (!tty_gone)
		newtFinished();
}

static int real_stderr = -1; /* while stderr goes into the pipe */
static struct termios saved_tty;
static int have_saved_tty;

/*
 * From a signal handler: no newt, no S-Lang (they allocate, and the
 * signal may have come in the middle of malloc): the attributes, the
 * cursor and the normal screen back, and the terminal modes saved at the
 * start. All async-signal-safe.
 */
static void screen_down_in_handler(void)
{
	static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";

	if (!screen_up || tty_gone)
		return;
	screen_up = 0;
	if (write(STDOUT_FILENO, reset, sizeof(reset) - 1) < 0)
		return;
	if (have_saved_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

static void on_fatal(int sig)
{
	screen_down_in_handler();
	if (real_stderr >= 0) /* so that the crash's report is seen */
		dup2(real_stderr, STDERR_FILENO);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int gone(void);

/*
 * SIGALRM: the loop did not see a stop signal in time (it was inside a
 * dialog that a hung-up terminal keeps busy): end here.
 */
static void on_watchdog(int sig)
{
	(void)sig;
	gone(); /* a hung-up terminal is left alone */
	screen_down_in_handler();
	_exit(128 + (top_signal ? top_signal : SIGTERM));
}

static void on_stop(int sig)
{
	top_signal = sig;
	if (screen_up)
		alarm(5); /* the loop cancels it when it sees the flag */
}

/* Should a dialog give up: a stop signal, or the terminal gone? */
static int gone(void)
{
	struct pollfd pfd = { .fd = SLang_TT_Read_FD, .events = POLLIN };

	if (top_signal || ior_session_stop)
		return 1;
	if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
		tty_gone = 1;
	return tty_gone;
}

static void on_winch(int sig)
{
	(void)sig;
	top_winch = 1;
}

#define KEY_BTAB 0x2001

static void colors(void)
{
	static const char *const flame[NR_FLAME_COLORS] = { "red", "brown", "magenta", "brightred",
							    "yellow" };
	int i;

	SLtt_set_color(C_NORMAL, NULL, "lightgray", "default");
	SLtt_set_color(C_BAR, NULL, "black", "lightgray");
	SLtt_set_color(C_TAB, NULL, "white", "blue");
	SLtt_set_color(C_STATUS, NULL, "black", "cyan");
	SLtt_set_color(C_SEL, NULL, "black", "green");
	SLtt_set_color(C_HEAD, NULL, "white", "blue");
	SLtt_set_color(C_GREY, NULL, "black", "gray");
	SLtt_set_color(C_FSEL, NULL, "white", "black");
	SLtt_set_color(C_WARN, NULL, "white", "red");
	SLtt_set_color(C_MATCH, NULL, "black", "brightcyan");
	SLtt_set_color(C_HELP, NULL, "black", "lightgray");
	for (i = 0; i < NR_FLAME_COLORS; i++)
		SLtt_set_color(C_FLAME + i, NULL, "black", (char *)flame[i]);
}

static int screen_start(void)
{
	struct sigaction fatal = { .sa_handler = on_fatal }, winch = { .sa_handler = on_winch,
									   .sa_flags = SA_RESTART };
	struct sigaction watchdog = { .sa_handler = on_watchdog };
	int sigs[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGQUIT };
	size_t i;

	have_saved_tty = !tcgetattr(STDIN_FILENO, &saved_tty);
	if (newtInit() < 0)
		return -EIO;
	screen_up = 1;
	atexit(screen_down);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &fatal, NULL);
	sigaction(SIGWINCH, &winch, NULL);
	sigaction(SIGALRM, &watchdog, NULL);
	newtCls();
	SLkp_init();
	SLkp_define_keysym("\033[Z", KEY_BTAB);
	colors();
	return 0;
}

/* stderr goes into a pipe while the screen is up: its last line shows. */
static void errors_start(struct top *t)
{
	int p[2];

	t->err_pipe = t->saved_stderr = -1;
	t->errors_on = 1;
	if (pipe2(p, O_CLOEXEC))
		return;
	/* the reader must not wait; the writers may (a dialog is up for a while) */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	/* the terminal, for after: not for the command or $EDITOR */
	t->saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
	real_stderr = t->saved_stderr;
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	t->err_pipe = p[0];
}

#define ERRLOG_MAX (1 << 20)

/*
 * Keep what goes to stderr, to print again once the screen is down: the
 * first ERRLOG_MAX bytes of it, in whole lines (no gaps: what comes after
 * the first line that does not fit is counted, not kept). own: a line of
 * ior top's own, kept whatever came before.
 */
static void errlog_add(struct top *t, const char *buf, size_t n, int own)
{
	char *p;

	if (!own && !t->errlog_full && t->errlog_len + n > ERRLOG_MAX) {
		size_t keep = t->errlog_len;

		while (keep && t->errlog[keep - 1] != '\n')
			keep--;
		t->errlog_dropped += t->errlog_len - keep;
		t->errlog_len = keep;
		t->errlog_full = 1;
	}
	if ((t->errlog_full && !own) || !(p = realloc(t->errlog, t->errlog_len + n))) {
		t->errlog_dropped += n;
		t->errlog_full |= !own; /* no memory: nothing after it either, so no gap */
		return;
	}
	memcpy(p + t->errlog_len, buf, n);
	t->errlog = p;
	t->errlog_len += n;
}

/* An error of ior top's own (a file, memory): in the footer, and on stderr after. */
static void say_error(struct top *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say_error(struct top *t, const char *fmt, ...)
{
	char line[MSG_MAX + 16];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_warn = 1;
	n = snprintf(line, sizeof(line), "ior: error: %s\n", t->msg);
	errlog_add(t, line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1, 1);
}

static void errors_poll(struct top *t)
{
	char buf[1024];
	ssize_t n, i;

	if (t->err_pipe < 0)
		return;
	while ((n = read(t->err_pipe, buf, sizeof(buf))) > 0) {
		errlog_add(t, buf, n, 0);
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				t->errline[t->errline_len] = '\0';
				if (t->errline_len)
					say(t, 1, "%s", t->errline);
				t->errline_len = 0;
			} else if (t->errline_len + 1 < sizeof(t->errline)) {
				t->errline[t->errline_len++] = buf[i];
			}
		}
	}
}

static void errors_stop(struct top *t)
{
	errors_poll(t);
	if (t->saved_stderr >= 0) {
		dup2(t->saved_stderr, STDERR_FILENO);
		close(t->saved_stderr);
		real_stderr = -1;
	}
	if (t->err_pipe >= 0)
		close(t->err_pipe);
	if (t->errlog_len && write(STDERR_FILENO, t->errlog, t->errlog_len) < 0)
		t->errlog_len = 0;
	if (t->errlog_dropped)
		fprintf(stderr, "ior top: %zu more bytes went to stderr while the screen was up: not kept\n",
			t->errlog_dropped);
	free(t->errlog);
}

/* --- drawing helpers ---------------------------------------------------------- */

static void put(int row, int col, int color, const char *s, int width)
{
	if (width <= 0 || row < 0 || col >= SLtt_Screen_Cols)
		return;
	SLsmg_gotorc(row, col);
	SLsmg_set_color(color);
	SLsmg_write_nstring((char *)s, width);
}

static void putf(int row, int col, int color, int width, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void putf(int row, int col, int color, int width, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(row, col, color, buf, width);
}

static const char *dur(char *buf, size_t len, uint64_t ns)
{
	return format_duration(buf, len, ns);
}

static const char *num(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

/* A string for the screen: control characters as '?'. */
static const char *printable(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (unsigned char)s[i] < 32 || s[i] == 127 ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

/*
 * s (printable) in width columns: a longer path keeps its end, the part
 * that names the file, after "..." (as ior report shortens it), in buf.
 * Columns as the screen counts them (a wide character two), the cut on a
 * whole character (utf8_tail, as ior report cuts).
 */
static const char *keep_end(const char *s, int width, char *buf, size_t len)
{
	size_t n = strlen(s), cols;
	const char *tail;

	if (width < 4 || utf8_width(s, n) <= (size_t)width)
		return s;
	tail = utf8_tail(s, n, width - 3, &cols);
	if (3 + (size_t)(s + n - tail) >= len)
		return s; /* no room: the screen cuts it at its end */
	snprintf(buf, len, "...%s", tail);
	return buf;
}

static int content_top(void)
{
	return 2;
}

static int content_rows(struct top *t)
{
	return t->rows - 4 > 1 ? t->rows - 4 : 1;
}

/* --- views built from the aggregate --------------------------------------------- */

/*
 * Build a view again? Always after a reset (the old one's names are gone);
 * after new events, only once four times its last build's cost has passed:
 * a big aggregate takes the lock from the capture one fifth of the time at
 * most.
 */
static int stale(struct top *t, const struct built *b)
{
	if (!b->valid || b->resets != t->d.resets)
		return 1;
	return b->updates != t->d.updates && now_s() - b->at >= 4 * b->cost;
}

static void built(struct top *t, struct built *b, double start)
{
	b->valid = 1;
	b->updates = t->d.updates;
	b->resets = t->d.resets;
	b->at = now_s();
	b->cost = b->at - start;
}

/* --- the flame tab ------------------------------------------------------------ */

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void draw_flame(struct top *t)
{
	struct ior_flame_view *v = &t->fv;
	int top = content_top(), h = content_rows(t), bottom = top + h - 1, width = t->cols;
	uint32_t sel, z, i;
	char ord[128], b1[32], b2[32], b3[32], b4[32], buf[4096];
	uint64_t total;

	/* paused, the tree stands still, but not past a reset: its names went with it */
	if (!t->flame_b.valid || t->flame_b.resets != t->d.resets ||
	    (!t->flame_paused && stale(t, &t->flame_b))) {
		double start = now_s();

		if (ior_flame_view__build(v, &t->d))
			say_error(t, "out of memory building the flame graph");
		built(t, &t->flame_b, start);
	}
	ior_flame_view__layout(v, width);
	sel = ior_flame_view__selected(v);
	z = ior_flame_view__zoomed(v);
	putf(1, 0, C_BAR, width, " o:order(%s)  b:metric(%s)%s%s%s%s%s",
	     ior_fv_ordering_name(&v->order, ord, sizeof(ord)), ior_fv_metric_name(v->metric),
	     z ? "  zoom:" : "", z ? printable(v->n[z].name, b1, sizeof(b1)) : "",
	     v->has_re ? "  search: on" : "", t->flame_paused ? "  [paused]" : "",
	     "");
	SLsmg_erase_eol();
	total = v->nr ? ior_flame_view__value(v, 0) : 0;
	if (!v->nr || !total) {
		putf(top + h / 2, 2, C_NORMAL, width - 2, "no %s to show yet",
		     v->metric == 0 ? "events" : ior_fv_metric_name(v->metric));
		return;
	}
	/* the selected frame's numbers on the first line */
	if (sel < v->nr) {
		struct ior_fv_node *n = &v->n[sel];
		uint64_t val = n->m[v->metric];

		putf(top, 0, C_NORMAL, width, " %s: %s%% of %s  count %" PRIu64 "  bytes %s  latency %s  gap %s",
		     printable(n->name, buf, 200),
		     total ? (snprintf(b4, sizeof(b4), "%.1f", 100.0 * val / total), b4) : "0",
		     ior_fv_metric_name(v->metric), n->m[0], format_bytes(b1, sizeof(b1), n->m[1]),
		     dur(b2, sizeof(b2), n->m[2]), dur(b3, sizeof(b3), n->m[3]));
	}
	for (i = 0; i < v->nr; i++) {
		struct ior_fv_node *n = &v->n[i];
		int row = bottom - n->depth, w = n->col1 - n->col0, color, anc = 0;
		uint32_t a;

		if (w <= 0 || row <= top)
			continue;
		for (a = z; a; a = v->n[a].parent)
			if (v->n[a].parent == i || (i == 0 && z))
				anc = 1;
		if (i == sel)
			color = C_FSEL;
		else if (anc && i != z)
			color = C_GREY;
		else if (v->has_re && !n->match)
			color = C_GREY;
		else if (v->has_re)
			color = C_MATCH;
		else
			color = C_FLAME + name_hash(n->name) % NR_FLAME_COLORS;
		printable(n->name, buf, sizeof(buf));
		SLsmg_gotorc(row, n->col0);
		SLsmg_set_color(color);
		if (w == 1) {
			SLsmg_write_nstring(" ", 1);
			continue;
		}
		SLsmg_write_nstring(buf, w - 1);
		SLsmg_set_color(C_NORMAL);
		SLsmg_write_nstring(" ", 1);
	}
}

/* --- tables ------------------------------------------------------------------- */

static enum ior_dash_table tab_table(struct top *t)
{
	switch (t->tab) {
	case TAB_SYSCALLS: return IOR_TABLE_SYSCALLS;
	case TAB_FILES: return t->files_by_dir ? IOR_TABLE_DIRS : IOR_TABLE_FILES;
	case TAB_PROCESSES: return IOR_TABLE_PROCESSES;
	default: return IOR_TABLE__NR;
	}
}

static struct ior_dash_rows *table_rows(struct top *t, enum ior_dash_table k)
{
	if (stale(t, &t->table_b[k])) {
		double start = now_s();

		if (ior_dash__table(&t->d, k, &t->table[k]))
			say_error(t, "out of memory building a table");
		built(t, &t->table_b[k], start);
	}
	return &t->table[k];
}

static const int col_width[IOR_COL__NR] = { 0, 10, 11, 11, 10, 10, 10, 8 };

static const char *cell(const struct ior_dash_row *r, int c, char *buf, size_t len)
{
	switch (c) {
	case IOR_COL_RATE: snprintf(buf, len, "%.1f", r->rate); return buf;
	case IOR_COL_COUNT: return num(buf, len, r->count);
	case IOR_COL_BYTES: return format_bytes(buf, len, r->bytes);
	case IOR_COL_AVG: return dur(buf, len, r->avg);
	case IOR_COL_P95: return dur(buf, len, r->p95);
	case IOR_COL_P99: return dur(buf, len, r->p99);
	case IOR_COL_ERRORS: return num(buf, len, r->errors);
	}
	return "";
}

static void draw_table(struct top *t)
{
	enum ior_dash_table k = tab_table(t);
	struct ior_dash_rows *rows = table_rows(t, k);
	int top = content_top(), h = content_rows(t) - 1, namew = t->cols, c, i, x, ncols;
	char buf[4096], cellbuf[64];

	for (c = 1; c < IOR_COL__NR; c++)
		namew -= col_width[c] + 1;
	/* a narrow window keeps a name readable: the columns that do not fit go */
	if (namew < 24)
		namew = t->cols / 2 < 24 ? (t->cols / 2 > 12 ? t->cols / 2 : 12) : 24;
	for (ncols = 1, x = namew + 1; ncols < IOR_COL__NR && x + col_width[ncols] <= t->cols; ncols++)
		x += col_width[ncols] + 1;
	putf(1, 0, C_BAR, t->cols, " %u %s%s  sorted by %s%s", rows->nr,
	     k == IOR_TABLE_SYSCALLS ? "syscalls" : k == IOR_TABLE_FILES ? "files"
	     : k == IOR_TABLE_DIRS ? "directories" : "processes",
	     t->tab == TAB_FILES ? (t->files_by_dir ? "  d:by file" : "  d:by directory") : "",
	     ior_dash_col_names[rows->col], rows->reverse ? " (reversed)" : "");
	SLsmg_erase_eol();
	/* the header */
	for (c = 0, x = 0; c < ncols; c++) {
		int w = c ? col_width[c] : namew;
		const char *name = c == IOR_COL_NAME ? (k == IOR_TABLE_PROCESSES ? "PID COMM"
							: k == IOR_TABLE_DIRS ? "DIRECTORY"
							: k == IOR_TABLE_FILES ? "PATH" : "SYSCALL")
						     : ior_dash_col_names[c];

		snprintf(buf, sizeof(buf), c ? "%*s%s" : "%-*s%s", w - 1, name,
			 rows->col == c ? (rows->reverse ? "^" : "v") : " ");
		put(top, x, c == t->sel_col[k] ? C_SEL : C_HEAD, buf, w);
		put(top, x + w, C_HEAD, " ", 1);
		x += w + 1;
	}
	SLsmg_set_color(C_HEAD);
	SLsmg_erase_eol();
	if (t->sel_row[k] >= (int)rows->nr)
		t->sel_row[k] = rows->nr ? rows->nr - 1 : 0;
	if (t->sel_row[k] < 0)
		t->sel_row[k] = 0;
	if (h < 1)
		h = 1;
	if (t->sel_row[k] < t->top_row[k])
		t->top_row[k] = t->sel_row[k];
	if (t->sel_row[k] >= t->top_row[k] + h)
		t->top_row[k] = t->sel_row[k] - h + 1;
	for (i = 0; i < h && t->top_row[k] + i < (int)rows->nr; i++) {
		const struct ior_dash_row *r = &rows->row[t->top_row[k] + i];
		int color = t->top_row[k] + i == t->sel_row[k] ? C_SEL : C_NORMAL;
		char name[4096];

		if (k == IOR_TABLE_PROCESSES)
			snprintf(name, sizeof(name), "%" PRId64 " %s", r->pid, r->name);
		else
			snprintf(name, sizeof(name), "%s", r->name);
		printable(name, buf, sizeof(buf));
		if (k == IOR_TABLE_FILES || k == IOR_TABLE_DIRS)
			put(top + 1 + i, 0, color, keep_end(buf, namew - 1, name, sizeof(name)), namew);
		else
			put(top + 1 + i, 0, color, buf, namew);
		for (c = 1, x = namew + 1; c < ncols; c++) {
			snprintf(name, sizeof(name), "%*s", col_width[c], cell(r, c, cellbuf, sizeof(cellbuf)));
			put(top + 1 + i, x - 1, color, " ", 1);
			put(top + 1 + i, x, color, name, col_width[c]);
			x += col_width[c] + 1;
		}
		SLsmg_erase_eol();
	}
	if (!rows->nr)
		put(top + 2, 2, C_NORMAL, "no events yet", 20);
}

/* --- overview ----------------------------------------------------------------- */

/* Syscalls and files by count, for the overview and the latency tab. */
static void by_count(struct top *t)
{
	double start = now_s();
	uint32_t i;

	if (!stale(t, &t->ov_b))
		return;
	t->ov_sys.col = t->ov_files.col = IOR_COL_COUNT;
	if (ior_dash__table(&t->d, IOR_TABLE_SYSCALLS, &t->ov_sys) ||
	    ior_dash__table(&t->d, IOR_TABLE_FILES, &t->ov_files))
		say_error(t, "out of memory building a table");
	/* all syscalls: the sum of theirs */
	ior_hist__exit(&t->lat_all);
	ior_hist__exit(&t->gap_all);
	for (i = 0; i < t->ov_sys.nr; i++) {
		ior_hist__merge(&t->lat_all, &t->ov_sys.row[i].lat);
		ior_hist__merge(&t->gap_all, &t->ov_sys.row[i].gap);
	}
	built(t, &t->ov_b, start);
}

static void draw_overview(struct top *t)
{
	static const char levels[] = " .:-=+*#%@";
	struct ior_dash *d = &t->d;
	int top = content_top(), w = t->cols - 2, used, i, first, n, half = t->cols / 2, pw;
	uint64_t max = 0;
	double end = t->t_end ? t->t_end : now_s(); /* live: the clock stops with the capture */
	double secs = ior_dash__seconds(d, end > t->baseline ? end - t->baseline : 0);
	char b1[32], b2[32], b3[32], line[4096];
	struct ior_dash_rows *sys, *files;

	used = d->matched ? (int)((d->last_time > d->since ? d->last_time - d->since : 0) /
				  d->spark_width) + 1 : 0;
	if (used > IOR_DASH_SPARK)
		used = IOR_DASH_SPARK;
	first = used > w ? used - w : 0;
	for (i = first; i < used; i++)
		if (d->spark[i] > max)
			max = d->spark[i];
	putf(1, 0, C_BAR, t->cols, " events %s  in %.1f s  (%.0f/s)  errors %s  bytes %s  lost %s",
	     num(b1, sizeof(b1), d->matched), secs, secs > 0 ? d->matched / secs : 0.0,
	     num(b2, sizeof(b2), d->agg.total.errors), format_bytes(b3, sizeof(b3), d->agg.total.bytes),
	     num(line, 32, d->lost));
	SLsmg_erase_eol();
	putf(top, 1, C_HEAD, w, "events per %s (peak %" PRIu64 ")",
	     dur(b1, sizeof(b1), d->spark_width), max);
	for (i = first, n = 0; i < used; i++, n++) {
		int lv = max ? (int)((d->spark[i] * 9 + max - 1) / max) : 0;

		line[n] = levels[lv > 9 ? 9 : lv];
	}
	line[n] = '\0';
	put(top + 1, 1, C_MATCH, line, n);
	by_count(t);
	sys = &t->ov_sys;
	files = &t->ov_files;
	putf(top + 3, 1, C_HEAD, half - 2, "%-18s %9s %10s", "top syscalls", "count", "bytes");
	/* paths in pw columns (the screen pads them), then the count, under its heading */
	pw = t->cols - half - 12 < 1 ? 1 : t->cols - half - 12;
	putf(top + 3, half, C_HEAD, t->cols - half - 1, "%-*s %9s", pw, "top paths", "count");
	for (i = 0; i < content_rows(t) - 5; i++) {
		if (i < (int)sys->nr)
			putf(top + 4 + i, 1, C_NORMAL, half - 2, "%-18s %9" PRIu64 " %10s",
			     sys->row[i].name, sys->row[i].count,
			     format_bytes(b1, sizeof(b1), sys->row[i].bytes));
		if (i < (int)files->nr) {
			char shown[sizeof(line)];

			printable(files->row[i].name, line, sizeof(line));
			put(top + 4 + i, half, C_NORMAL, keep_end(line, pw, shown, sizeof(shown)), pw);
			putf(top + 4 + i, half + pw, C_NORMAL, t->cols - half - pw - 1, " %9" PRIu64,
			     files->row[i].count);
		}
	}
}

/* --- latency and gaps --------------------------------------------------------- */

static void draw_hist(struct top *t, int col, int width, const char *title,
		      const struct ior_hist *h)
{
	uint64_t b[65], max = 0;
	int top = content_top(), lo = 65, hi = -1, i, row;
	char l1[32], l2[32], l3[32], l4[32], l5[32];

	ior_hist__log2(h, b);
	for (i = 0; i < 65; i++)
		if (b[i]) {
			lo = i < lo ? i : lo;
			hi = i;
			max = b[i] > max ? b[i] : max;
		}
	putf(top, col, C_HEAD, width, "%s  n=%" PRIu64 "  p50 %s  p95 %s  p99 %s  max %s", title, h->n,
	     dur(l1, sizeof(l1), ior_hist__percentile(h, 50)),
	     dur(l2, sizeof(l2), ior_hist__percentile(h, 95)),
	     dur(l3, sizeof(l3), ior_hist__percentile(h, 99)), dur(l4, sizeof(l4), h->max));
	for (i = lo, row = top + 1; i <= hi && row < top + content_rows(t); i++, row++) {
		uint64_t from = i ? 1ULL << (i - 1) : 0, to = i ? (i < 64 ? 1ULL << i : UINT64_MAX) : 1;
		int barw = width - 32, n = max && barw > 0 ? (int)((b[i] * barw + max - 1) / max) : 0;
		char bar[512];

		memset(bar, '#', n < 511 ? n : 511);
		bar[n < 511 ? n : 511] = '\0';
		putf(row, col, C_NORMAL, width, "%9s-%-9s %10" PRIu64 " %s",
		     dur(l1, sizeof(l1), from), dur(l5, sizeof(l5), to), b[i], bar);
	}
}

static void draw_latency(struct top *t)
{
	struct ior_dash_rows *sys = (by_count(t), &t->ov_sys);
	const struct ior_hist *lat = &t->lat_all, *gap = &t->gap_all;
	const char *name = "all syscalls";
	int half = t->cols / 2;
	char tl[128], tg[128];

	if (t->lat_sel > (int)sys->nr)
		t->lat_sel = sys->nr;
	if (t->lat_sel > 0) {
		const struct ior_dash_row *r = &sys->row[t->lat_sel - 1];

		lat = &r->lat;
		gap = &r->gap;
		name = r->name;
	}
	putf(1, 0, C_BAR, t->cols, " showing: %s   (j/k: another syscall)", name);
	SLsmg_erase_eol();
	snprintf(tl, sizeof(tl), "latency");
	snprintf(tg, sizeof(tg), "gap");
	draw_hist(t, 0, half - 1, tl, lat);
	draw_hist(t, half + 1, t->cols - half - 1, tg, gap);
}

/* --- stream ------------------------------------------------------------------- */

enum { SC_TIME, SC_COMM, SC_PID, SC_TID, SC_SYSCALL, SC_FD, SC_RET, SC_BYTES, SC_LATENCY, SC_GAP,
       SC_PATH, NR_SC };
static const struct {
	const char *name;
	int width, field;
} scol[NR_SC] = {
	{ "TIME", 15, -1 },	     { "COMM", 15, IOR_F_COMM },     { "PID", 7, IOR_F_PID },
	{ "TID", 7, IOR_F_TID },     { "SYSCALL", 14, IOR_F_SYSCALL }, { "FD", 4, IOR_F_FD },
	{ "RET", 8, IOR_F_RET },     { "BYTES", 8, IOR_F_BYTES },    { "LATENCY", 9, IOR_F_LATENCY },
	{ "GAP", 9, IOR_F_GAP },     { "PATH", 0, IOR_F_PATH },
};

static const char *stream_cell(struct top *t, const struct ior_event *e, int c, char *buf, size_t len)
{
	const struct ior_evctx *x = &t->d.ctx;

	switch (c) {
	case SC_TIME: {
		int64_t wall = (int64_t)e->time + (t->d.hdr ? t->d.hdr->boot_to_wall : 0);
		int32_t ns;
		time_t s = ior_wall_sec(wall, &ns);
		struct tm tm;

		localtime_r(&s, &tm);
		snprintf(buf, len, "%02d:%02d:%02d.%06d", tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (int)ns / 1000);
		return buf;
	}
	case SC_COMM: return printable(ior_evctx__str(x, e->comm), buf, len);
	case SC_PID: snprintf(buf, len, "%d", e->pid); return buf;
	case SC_TID: snprintf(buf, len, "%d", e->tid); return buf;
	case SC_SYSCALL: return ior_evctx__syscall(x, e->nr);
	case SC_FD:
		if (e->fd < 0)
			return "";
		snprintf(buf, len, "%d", e->fd);
		return buf;
	case SC_RET:
		if (ior_is_error(e->ret))
			return ior_errno_name(ior_errno(e->ret));
		snprintf(buf, len, "%" PRId64, e->ret);
		return buf;
	case SC_BYTES: return num(buf, len, e->bytes);
	case SC_LATENCY: return dur(buf, len, e->duration);
	case SC_GAP: return dur(buf, len, e->gap);
	case SC_PATH: {
		char a[4096];

		/* the way the name or the bytes go, as stream shows it */
		if (e->path2 && ior_syscall_is_transfer(ior_evctx__syscall(x, e->nr)))
			snprintf(a, sizeof(a), "%s -> %s", ior_evctx__str(x, e->path),
				 ior_evctx__str(x, e->path2));
		else if (e->path2)
			snprintf(a, sizeof(a), "%s -> %s", ior_evctx__str(x, e->path2),
				 ior_evctx__str(x, e->path));
		else
			snprintf(a, sizeof(a), "%s", ior_evctx__str(x, e->path));
		return printable(a, buf, len);
	}
	}
	return "";
}

static void stream_refilter(struct top *t)
{
	if (t->d.have_ctx)
		ior_stream_ring__filter(&t->d.ring, &t->d.filters, &t->d.ctx);
	else
		t->d.ring.nr_view = 0;
}

static void draw_stream(struct top *t)
{
	struct ior_stream_ring *r = &t->d.ring;
	int top = content_top(), h = content_rows(t) - 1, c, i, x;
	char buf[4096];

	if (!t->s_paused)
		stream_refilter(t);
	if (!t->o->input)
		snprintf(buf, sizeof(buf), "%u of the last %u events", r->nr_view, r->count);
	else if (t->d.matched > r->nr_view) /* the ring holds the events that pass */
		snprintf(buf, sizeof(buf), "the last %u of the %" PRIu64 " events that pass the filters",
			 r->nr_view, t->d.matched);
	else
		snprintf(buf, sizeof(buf), "%u events pass the filters", r->nr_view);
	putf(1, 0, C_BAR, t->cols, " %s%s%s", buf,
	     t->s_paused ? "  [paused: hjkl move, Enter filters]" : "  (space pauses)",
	     t->has_s_re ? "  search: on" : "");
	SLsmg_erase_eol();
	for (c = 0, x = 0; c < NR_SC; c++) {
		int w = scol[c].width ? scol[c].width : t->cols - x;

		put(top, x, t->s_paused && c == t->s_col ? C_SEL : C_HEAD, scol[c].name, w);
		x += w + 1;
		if (x >= t->cols)
			break;
	}
	SLsmg_set_color(C_HEAD);
	SLsmg_erase_eol();
	if (!t->s_paused) { /* the tail */
		t->s_top = r->nr_view > (uint32_t)h ? r->nr_view - h : 0;
		t->s_row = r->nr_view ? r->nr_view - 1 : 0;
	} else {
		if (t->s_row >= (long)r->nr_view)
			t->s_row = r->nr_view ? r->nr_view - 1 : 0;
		if (t->s_row < 0)
			t->s_row = 0;
		if (t->s_row < t->s_top)
			t->s_top = t->s_row;
		if (t->s_row >= t->s_top + h)
			t->s_top = t->s_row - h + 1;
		/* no empty lines below the last event while there are events above */
		if (t->s_top > (long)r->nr_view - h)
			t->s_top = r->nr_view > (uint32_t)h ? (long)r->nr_view - h : 0;
	}
	for (i = 0; i < h && t->s_top + i < (long)r->nr_view; i++) {
		const struct ior_event *e = ior_stream_ring__at(r, r->view[t->s_top + i]);
		int is_cur = t->s_paused && t->s_top + i == t->s_row, match = 0;

		if (t->has_s_re) {
			char text[2 * 4096 + 256];

			ior_event_text(&t->d.ctx, e, text, sizeof(text));
			match = !regexec(&t->s_re, text, 0, NULL, 0);
		}
		for (c = 0, x = 0; c < NR_SC && x < t->cols; c++) {
			int w = scol[c].width ? scol[c].width : t->cols - x;
			int color = is_cur && c == t->s_col ? C_FSEL : is_cur ? C_SEL
				    : match ? C_MATCH : ior_is_error(e->ret) && c == SC_RET ? C_WARN
				    : C_NORMAL;
			const char *s = stream_cell(t, e, c, buf, sizeof(buf));
			char padded[4096];

			snprintf(padded, sizeof(padded), c >= SC_PID && c <= SC_GAP && c != SC_SYSCALL
				 ? "%*s" : "%-*s", w, s);
			put(top + 1 + i, x, color, padded, w);
			put(top + 1 + i, x + w, is_cur ? C_SEL : C_NORMAL, " ", 1);
			x += w + 1;
		}
	}
	if (!r->nr_view)
		put(top + 2, 2, C_NORMAL, r->count || (t->o->input && t->d.seen)
		    ? "no event passes the filters" : "no events yet", 40);
}

/* --- help --------------------------------------------------------------------- */

#define HELP_LINES 64

/* The help's lines: this tab's keys, then the global ones. */
static int help_lines(const struct top *t, char lines[][160], int *colors)
{
	const struct ior_top_help *lists[2] = { &ior_top_help[t->tab + 1], &ior_top_help[0] };
	const struct ior_top_key *k;
	int n = 0, i;

	for (i = 0; i < 2; i++) {
		if (i)
			colors[n] = C_HELP, *lines[n++] = '\0';
		colors[n] = C_HEAD;
		snprintf(lines[n++], sizeof(*lines), " %s keys", lists[i]->title);
		if (!lists[i]->keys->keys)
			colors[n] = C_HELP, snprintf(lines[n++], sizeof(*lines), "  only the global keys");
		for (k = lists[i]->keys; k->keys && n < HELP_LINES; k++) {
			colors[n] = C_HELP;
			snprintf(lines[n++], sizeof(*lines), "  %-20s %s", k->keys, k->what);
		}
	}
	return n;
}

/*
 * The help covers the whole content area, so nothing shows through it;
 * what does not fit scrolls (j, k, PgUp, PgDn while it is shown).
 */
static void draw_help(struct top *t)
{
	char lines[HELP_LINES][160];
	int colors[HELP_LINES];
	int width = t->cols - 2 < 90 ? t->cols - 2 : 90, col = (t->cols - width) / 2;
	int top = content_top(), h = content_rows(t) - 2, n = help_lines(t, lines, colors), r;

	if (h < 1)
		h = 1;
	for (r = top; r < top + content_rows(t); r++)
		putf(r, 0, C_NORMAL, t->cols, "%*s", t->cols, "");
	if (t->help_top > n - h)
		t->help_top = n > h ? n - h : 0;
	if (t->help_top < 0)
		t->help_top = 0;
	for (r = 0; r < h && t->help_top + r < n; r++)
		putf(top + r, col, colors[t->help_top + r], width, "%s", lines[t->help_top + r]);
	putf(top + r + 1 < top + content_rows(t) ? top + r + 1 : top + r, col, C_HELP, width, "%s",
	     n > h ? "  (H closes this help; j, k, PgUp, PgDn scroll it; man ior-top has it all)"
		   : "  (H closes this help; man ior-top has it all)");
}

/* A key while the help is shown: 1 if it was the help's. */
static int help_key(struct top *t, int k)
{
	int page = content_rows(t) - 2 > 1 ? content_rows(t) - 2 : 1;

	switch (k) {
	case 'H': case 27: t->help = 0; break;
	case 'j': case SL_KEY_DOWN: t->help_top++; break;
	case 'k': case SL_KEY_UP: t->help_top--; break;
	case SL_KEY_NPAGE: t->help_top += page; break;
	case SL_KEY_PPAGE: t->help_top -= page; break;
	default: return 0;
	}
	return 1; /* draw_help keeps help_top in range */
}

/* --- the frame around ----------------------------------------------------------- */

static void draw(struct top *t)
{
	char buf[4096], b1[32];
	int i, x = 0;
	double secs;

	SLsmg_set_color(C_NORMAL);
	SLsmg_cls();
	SLsmg_gotorc(0, 0);
	SLsmg_set_color(C_BAR);
	SLsmg_erase_eol();
	for (i = 0; i < NR_TABS; i++) {
		snprintf(buf, sizeof(buf), " %d %s ", i + 1, tab_names[i]);
		put(0, x, i == t->tab ? C_TAB : C_BAR, buf, strlen(buf));
		x += strlen(buf);
	}
	if (t->done && !t->t_end) /* it ended without a session's end (an error) */
		t->t_end = now_s();
	secs = t->o->input ? ior_dash__seconds(&t->d, 0) : (t->t_end ? t->t_end : now_s()) - t->t0;
	snprintf(buf, sizeof(buf), "%s %s ", t->o->input ? "trace" : t->done ? "ended" : "live",
		 dur(b1, sizeof(b1), (uint64_t)(secs * 1e9)));
	if (x + (int)strlen(buf) < t->cols)
		put(0, t->cols - strlen(buf), C_BAR, buf, strlen(buf));
	switch (t->tab) {
	case TAB_FLAME: draw_flame(t); break;
	case TAB_OVERVIEW: draw_overview(t); break;
	case TAB_SYSCALLS:
	case TAB_FILES:
	case TAB_PROCESSES: draw_table(t); break;
	case TAB_LATENCY: draw_latency(t); break;
	case TAB_STREAM: draw_stream(t); break;
	}
	if (t->help)
		draw_help(t);
	/* status: the filters and the loss */
	ior_filter_stack__describe(&t->d.filters, buf, sizeof(buf));
	putf(t->rows - 2, 0, C_STATUS, t->cols, " filter: %s", *buf ? buf : "all");
	SLsmg_erase_eol();
	snprintf(buf, sizeof(buf), " events %s  lost %" PRIu64 " ", num(b1, sizeof(b1), t->d.matched),
		 t->d.lost);
	if ((int)strlen(buf) < t->cols / 2)
		put(t->rows - 2, t->cols - strlen(buf), t->d.lost ? C_WARN : C_STATUS, buf,
		    strlen(buf));
	/* footer: recording, then the last message */
	SLsmg_gotorc(t->rows - 1, 0);
	SLsmg_set_color(C_NORMAL);
	SLsmg_erase_eol();
	x = 0;
	if (t->d.record) {
		snprintf(buf, sizeof(buf), " REC %.1000s: %" PRIu64 " events ", t->rec_path, t->d.recorded);
		put(t->rows - 1, 0, C_WARN, buf, t->cols);
		x = strlen(buf) + 1;
	}
	if (*t->msg && x < t->cols)
		put(t->rows - 1, x, t->msg_warn ? C_WARN : C_NORMAL, printable(t->msg, buf, sizeof(buf)),
		    t->cols - x);
	else if (x < t->cols - 20)
		put(t->rows - 1, t->cols - 20, C_NORMAL, "   H help  q quit", 20);
}

/* A key: S-Lang's keypad decoding, but a lone Esc is Esc, not a prefix. */
static int get_key(void)
{
	int c = SLang_getkey();

	if (c != 27)
		return c == 0x7f ? 127 : (SLang_ungetkey(c), SLkp_getkey());
	if (SLang_input_pending(1) <= 0)
		return 27;
	SLang_ungetkey(c);
	return SLkp_getkey();
}

/* --- reading a line at the bottom (search) ------------------------------------- */

static int prompt(struct top *t, const char *label, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	for (;;) {
		int k;

		SLsmg_gotorc(t->rows - 1, 0);
		SLsmg_set_color(C_NORMAL);
		SLsmg_erase_eol();
		putf(t->rows - 1, 0, C_NORMAL, t->cols, "%s%s", label, out);
		SLsmg_refresh();
		while (!SLang_input_pending(1))
			if (gone())
				return -1;
		if (gone())
			return -1;
		k = get_key();
		if (k == SL_KEY_ERR)
			return -1;
		if (k == '\r' || k == '\n' || k == SL_KEY_ENTER)
			return 0;
		if (k == 27 || k == 3 || k == 7)
			return -1;
		if ((k == 127 || k == 8 || k == SL_KEY_BACKSPACE) && n)
			out[--n] = '\0';
		else if (k >= 32 && k < 256 && n + 1 < len) {
			out[n++] = k;
			out[n] = '\0';
		}
	}
}

/* --- newt dialogs ----------------------------------------------------------------- */

/* A label wrapped to width: a textbox at the window's top; *lines its height. */
static newtComponent wrapped_label(const char *text, int width, int *lines)
{
	int w;
	char *flowed = newtReflowText((char *)text, width, 0, 0, &w, lines);
	newtComponent tb = newtTextbox(1, 0, width, *lines, 0);

	newtTextboxSetText(tb, flowed);
	free(flowed);
	return tb;
}

/* The lines text takes, wrapped to width. */
static int wrapped_lines(const char *text, int width)
{
	int w, h;

	free(newtReflowText((char *)text, width, 0, 0, &w, &h));
	return h;
}

/* A line of text in a box. 0 and out set, or -1 when cancelled. */
static int ask(const char *title, const char *label, const char *initial, char *out, size_t len)
{
	int w = SLtt_Screen_Cols - 10 < 70 ? SLtt_Screen_Cols - 10 : 70;
	newtComponent form, lab, entry;
	struct newtExitStruct es;
	int ret = -1;

	int lines;

	if (w < 20)
		w = 20;
	newtCenteredWindow(w, wrapped_lines(label, w - 2) + 2, title);
	form = newtForm(NULL, NULL, 0);
	lab = wrapped_label(label, w - 2, &lines);
	entry = newtEntry(1, lines, initial, w - 2, NULL, NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
	newtFormAddComponents(form, lab, entry, NULL);
	newtFormAddHotKey(form, NEWT_KEY_ESCAPE);
	newtFormSetTimer(form, 100);
	do
		newtFormRun(form, &es);
	while (es.reason == NEWT_EXIT_TIMER && !gone());
	if (es.reason == NEWT_EXIT_COMPONENT) {
		snprintf(out, len, "%s", newtEntryGetValue(entry));
		ret = 0;
	}
	newtFormDestroy(form);
	newtPopWindow();
	return ret;
}

struct pick {
	char *text;
	char *expr; /* the scope it sets; NULL: all */
};

static int cmp_text(const void *a, const void *b)
{
	return strcmp(((const struct pick *)a)->text, ((const struct pick *)b)->text);
}

/* A listbox of items, filtered by what is typed. The index picked, or -1. */
static int pick(const char *title, struct pick *items, int nr)
{
	static const char label[] = "Type to filter (pid, comm, command line); Enter picks, Esc cancels:";
	int w = SLtt_Screen_Cols - 6 < 100 ? SLtt_Screen_Cols - 6 : 100;
	int h = SLtt_Screen_Rows - 8 > 5 ? SLtt_Screen_Rows - 8 : 5;
	newtComponent form, lab, entry, lb;
	struct newtExitStruct es;
	char last[256] = "\x01";
	int ret = -1, i, n;

	int lines;

	if (w < 30)
		w = 30;
	lines = wrapped_lines(label, w - 2);
	if (h - (lines - 1) >= 3)
		h -= lines - 1;
	newtCenteredWindow(w, h + lines + 1, title);
	form = newtForm(NULL, NULL, 0);
	lab = wrapped_label(label, w - 2, &lines);
	entry = newtEntry(1, lines, "", w - 2, NULL, NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
	lb = newtListbox(1, lines + 1, h, NEWT_FLAG_SCROLL | NEWT_FLAG_RETURNEXIT);
	newtListboxSetWidth(lb, w - 2);
	newtFormAddComponents(form, lab, entry, lb, NULL);
	newtFormAddHotKey(form, NEWT_KEY_ESCAPE);
	newtFormSetTimer(form, 100);
	for (;;) {
		const char *typed = newtEntryGetValue(entry);

		if (strcmp(typed, last)) {
			snprintf(last, sizeof(last), "%s", typed);
			newtListboxClear(lb);
			for (i = 0, n = 0; i < nr; i++)
				if (!i || strcasestr(items[i].text, last)) {
					newtListboxAppendEntry(lb, items[i].text, (void *)(intptr_t)(i + 1));
					n++;
				}
			/* what Enter in the box would pick is where Down lands */
			if (*last && n > 1)
				newtListboxSetCurrent(lb, 1);
			newtRefresh();
		}
		newtFormRun(form, &es);
		if (es.reason == NEWT_EXIT_TIMER && !gone())
			continue;
		if (es.reason != NEWT_EXIT_COMPONENT)
			break;
		typed = newtEntryGetValue(entry);
		if (es.u.co == entry && *typed) {
			/* Enter in the filter box: the first process that matches */
			for (i = 1; i < nr; i++)
				if (strcasestr(items[i].text, typed)) {
					ret = i;
					break;
				}
		} else {
			intptr_t k = (intptr_t)newtListboxGetCurrent(lb);

			ret = k ? (int)k - 1 : -1;
		}
		break;
	}
	newtFormDestroy(form);
	newtPopWindow();
	return ret;
}

static void picks_free(struct pick *p, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		free(p[i].text);
		free(p[i].expr);
	}
	free(p);
}

static int picks_add(struct pick **p, int *nr, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int picks_add(struct pick **p, int *nr, const char *expr, const char *fmt, ...)
{
	struct pick *n = realloc(*p, (*nr + 1) * sizeof(*n));
	char buf[512];
	va_list ap;

	if (!n)
		return -ENOMEM;
	*p = n;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n[*nr].text = strdup(buf);
	n[*nr].expr = expr ? strdup(expr) : NULL;
	(*nr)++;
	return 0;
}

static void read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1, i;

	if (fd >= 0)
		close(fd);
	if (n < 0)
		n = 0;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0' || buf[i] == '\n')
			buf[i] = ' ';
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
}

static void set_scope(struct top *t, const char *expr);

/* Pick from items (the first is "all"), sorted by their text: by id, as it starts right-aligned. */
static void pick_scope(struct top *t, const char *title, struct pick *items, int nr)
{
	int k;

	qsort(items + 1, nr - 1, sizeof(*items), cmp_text);
	k = pick(title, items, nr);
	if (k >= 0)
		set_scope(t, items[k].expr);
	picks_free(items, nr);
}

static void pick_process(struct top *t)
{
	struct pick *items = NULL;
	int nr = 0;
	char expr[64];

	picks_add(&items, &nr, NULL, "All processes");
	if (!t->o->input) {
		DIR *dir = opendir("/proc");
		struct dirent *de;
		pid_t self = getpid();

		while (dir && (de = readdir(dir))) {
			char path[300], comm[64], cmd[256], *end;
			long pid = strtol(de->d_name, &end, 10);

			if (*end || pid <= 0 || pid == self)
				continue;
			snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
			read_small(path, comm, sizeof(comm));
			snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
			read_small(path, cmd, sizeof(cmd));
			snprintf(expr, sizeof(expr), "pid=%ld", pid);
			picks_add(&items, &nr, expr, "%8ld  %-16s %s", pid, comm, cmd);
		}
		if (dir)
			closedir(dir);
	} else {
		struct intmap exe; /* pid -> the program one of its threads exec'd + 1 */
		uint32_t j;
		uint64_t *v;
		int added;

		intmap__init(&exe);
		for (j = 0; j < t->d.nr_threads; j++)
			if ((v = intmap__get(&exe, t->d.thread[j].pid, &added)) && t->d.thread[j].exe)
				*v = t->d.thread[j].exe + 1ULL;
		for (j = 0; j < t->d.nr_threads; j++) {
			const struct ior_dash_thread *th = &t->d.thread[j];

			v = intmap__find(&exe, th->pid);
			if (!v || *v == UINT64_MAX) /* listed already */
				continue;
			snprintf(expr, sizeof(expr), "pid=%d", th->pid);
			picks_add(&items, &nr, expr, "%8d  %-16s %s", th->pid,
				  ior_evctx__str(&t->d.ctx, th->comm),
				  *v ? ior_evctx__str(&t->d.ctx, (uint32_t)(*v - 1)) : "");
			*v = UINT64_MAX;
		}
		intmap__exit(&exe);
	}
	pick_scope(t, "Pick a process", items, nr);
}

static void pick_thread(struct top *t)
{
	struct pick *items = NULL;
	int nr = 0;
	uint32_t j;
	char expr[64];

	ui_lock(t);
	picks_add(&items, &nr, NULL, "All threads");
	for (j = 0; j < t->d.nr_threads; j++) {
		const struct ior_dash_thread *th = &t->d.thread[j];

		snprintf(expr, sizeof(expr), "tid=%d", th->tid);
		picks_add(&items, &nr, expr, "%8d  %-16s pid %d, %" PRIu64 " events", th->tid,
			  ior_evctx__str(&t->d.ctx, th->comm), th->pid, th->count);
	}
	ui_unlock(t);
	pick_scope(t, "Pick a thread", items, nr);
}

/* --- replaying a trace ------------------------------------------------------------ */

static int load(struct top *t)
{
	/* the first time, the reader says what is wrong with the trace */
	struct ior_trace_reader_opts ro = { .quiet = t->loaded };
	struct ior_trace_reader *r = ior_trace_reader__open(t->o->input, &ro);
	int err;

	if (!r)
		return -EIO;
	t->d.ring_frozen = 0;
	t->d.ring.count = t->d.ring.head = t->d.ring.nr_view = 0;
	t->d.ring.total = 0;
	t->d.nr_threads = 0;
	intmap__exit(&t->d.tids);
	intmap__init(&t->d.tids);
	ior_dash__reset(&t->d);
	err = ior_trace_reader__run(r, &t->d.sink);
	/* even on failure: what the dashboard took (header, strings) is r's now */
	ior_trace_reader__delete(t->reader);
	t->reader = r;
	if (err) {
		if (t->loaded)
			say_error(t, "cannot read trace '%s': %s", t->o->input, ior_strerror(err));
		return err;
	}
	t->loaded = 1;
	t->d.ring_frozen = t->s_paused;
	return 0;
}

/* After the filters changed: start the aggregate over (and reread a trace). */
static void filters_changed(struct top *t)
{
	if (t->o->input) {
		if (t->d.filters_seen != t->d.filters.generation) {
			load(t);
		}
	} else {
		ior_dash__sync_filters(&t->d);
		t->baseline = now_s();
	}
	t->d.filters_seen = t->d.filters.generation;
	stream_refilter(t);
	/* paused or not, the stream shows the new view's newest events, the cursor on the last */
	t->s_row = t->d.ring.nr_view ? t->d.ring.nr_view - 1 : 0;
	t->s_top = 0;
	ior_flame_view__home(&t->fv);
	t->flame_b.valid = 0;
	memset(t->sel_row, 0, sizeof(t->sel_row));
	memset(t->top_row, 0, sizeof(t->top_row));
}

static void set_scope(struct top *t, const char *expr)
{
	ui_lock(t);
	if (ior_filter_stack__set_scope(&t->d.filters, expr))
		say(t, 1, "cannot pick '%s'", expr);
	filters_changed(t);
	ui_unlock(t);
}

static void push_filter(struct top *t, const char *expr)
{
	int err;

	ui_lock(t);
	err = ior_filter_stack__push(&t->d.filters, expr);
	if (!err) {
		say(t, 0, "filter pushed: %s", expr);
		filters_changed(t);
	} else if (err == -ENOSPC) {
		say(t, 1, "the filter stack is full");
	}
	ui_unlock(t);
}

static void pop_filter(struct top *t)
{
	ui_lock(t);
	if (ior_filter_stack__pop(&t->d.filters))
		say(t, 0, "no filter to pop");
	else
		filters_changed(t);
	ui_unlock(t);
}

/* --- exports and recording --------------------------------------------------------- */

static void stamp(char *buf, size_t len, const char *prefix, const char *ext)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	snprintf(buf, len, "%s-%04d%02d%02d-%02d%02d%02d%s", prefix, tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ext);
}

/* Close an export: an error said, or the file remembered for E. 0 or a negative errno. */
static int export_close(struct top *t, FILE *fp, const char *path, uint32_t n, const char *what)
{
	int err = ferror(fp) ? -EIO : 0;

	if (fclose(fp) && !err)
		err = -errno;
	if (err) {
		say_error(t, "cannot write '%s': %s", path, strerror(-err));
		return err;
	}
	snprintf(t->last_export, sizeof(t->last_export), "%s", path);
	say(t, 0, "exported %u %s to %s", n, what, path);
	return 0;
}

static int export_stream(struct top *t, const char *path)
{
	struct ior_stream_ring *r = &t->d.ring;
	FILE *fp = fopen(path, "we");
	struct ior_printer pr;
	uint32_t i;

	if (!fp) {
		say_error(t, "cannot write '%s': %s", path, strerror(errno));
		return -errno;
	}
	ior_printer__init(&pr, fp, IOR_PRINT_CSV);
	if (t->d.hdr)
		pr.sink.header(&pr.sink, t->d.hdr, t->d.strings);
	if (!t->s_paused)
		stream_refilter(t);
	for (i = 0; i < r->nr_view; i++)
		pr.sink.event(&pr.sink, ior_stream_ring__at(r, r->view[i]));
	ior_printer__exit(&pr);
	return export_close(t, fp, path, r->nr_view, "events");
}

static int export_table(struct top *t, enum ior_dash_table k, const char *path)
{
	struct ior_dash_rows *rows = table_rows(t, k);
	FILE *fp = fopen(path, "we");
	uint32_t i;

	if (!fp) {
		say_error(t, "cannot write '%s': %s", path, strerror(errno));
		return -errno;
	}
	fprintf(fp, "%s,count,errors,bytes,total_ns,avg_ns,p95_ns,p99_ns,gap_ns,rate\n",
		k == IOR_TABLE_SYSCALLS ? "syscall" : k == IOR_TABLE_FILES ? "path"
		: k == IOR_TABLE_DIRS ? "dir" : "pid,comm");
	for (i = 0; i < rows->nr; i++) {
		const struct ior_dash_row *r = &rows->row[i];

		if (k == IOR_TABLE_PROCESSES)
			fprintf(fp, "%" PRId64 ",", r->pid);
		ior_csv_field(fp, r->name, strlen(r->name));
		fprintf(fp, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%.3f\n", r->count, r->errors, r->bytes, r->total_ns,
			r->avg, r->p95, r->p99, r->gap_ns, r->rate);
	}
	return export_close(t, fp, path, rows->nr, "rows");
}

static void export_view(struct top *t)
{
	enum ior_dash_table k = tab_table(t);
	char path[256];

	ui_lock(t);
	if (k != IOR_TABLE__NR) {
		static const char *const names[] = { "ior-syscalls", "ior-files", "ior-dirs",
						     "ior-processes" };

		stamp(path, sizeof(path), names[k], ".csv");
		export_table(t, k, path);
	} else {
		stamp(path, sizeof(path), "ior-stream", ".csv");
		export_stream(t, path);
	}
	ui_unlock(t);
}

static void open_editor(struct top *t)
{
	const char *ed = getenv("EDITOR");
	pid_t pid;
	int status = 0;

	if (!*t->last_export) {
		say(t, 0, "nothing exported yet (e, x or X)");
		return;
	}
	if (!ed || !*ed)
		ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = "vi";
	newtSuspend();
	pid = fork();
	if (!pid) {
		execl("/bin/sh", "sh", "-c", "$0 \"$1\"", ed, t->last_export, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	newtResume();
	SLkp_init();
	SLkp_define_keysym("\033[Z", KEY_BTAB);
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		say(t, 1, "%s exited with %d", ed, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* The sink of a recording; NULL with the error said. */
static struct ior_sink *record_open(struct top *t, const char *path)
{
	struct ior_sink *s = NULL;
	struct stat in, out;

	if (t->o->input && !stat(t->o->input, &in) && !stat(path, &out) && in.st_dev == out.st_dev &&
	    in.st_ino == out.st_ino) {
		say(t, 1, "'%s' is the trace shown: record to another file", path);
		return NULL;
	}
	t->rec_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (t->rec_fd < 0) {
		say_error(t, "cannot record to '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (ends_with(path, ".parquet")) {
		t->rec_pq = ior_parquet__new(t->rec_fd, path, 0);
		s = t->rec_pq ? ior_parquet__sink(t->rec_pq) : NULL;
	} else {
		t->rec_w = ior_trace_writer__new(t->rec_fd, path, NULL);
		s = t->rec_w ? ior_trace_writer__sink(t->rec_w) : NULL;
	}
	if (!s) {
		close(t->rec_fd);
		say_error(t, "cannot record to '%s'", path);
		return NULL;
	}
	snprintf(t->rec_path, sizeof(t->rec_path), "%s", path);
	return s;
}

static int record_close(struct top *t)
{
	int err = 0;

	if (t->rec_pq) {
		err = ior_parquet__close(t->rec_pq);
		ior_parquet__delete(t->rec_pq);
	} else if (t->rec_w) {
		err = ior_trace_writer__finish(t->rec_w);
		ior_trace_writer__delete(t->rec_w);
	}
	if (t->rec_fd >= 0 && close(t->rec_fd) && !err)
		err = -errno;
	t->rec_pq = NULL;
	t->rec_w = NULL;
	t->rec_fd = -1;
	return err;
}

/* Offline: the trace's events that pass the filters, in one go. */
struct copy_sink {
	struct ior_sink sink;
	struct ior_sink *next;
	struct ior_filter_stack *filters;
	struct ior_evctx ctx;
	int have_ctx;
	uint64_t n;
};

static int copy_header(struct ior_sink *s, const struct ior_trace_header *h,
		       const struct ior_strtab *strings)
{
	struct copy_sink *c = (struct copy_sink *)s;

	if (ior_evctx__init(&c->ctx, h, strings))
		return -ENOMEM;
	c->have_ctx = 1;
	return c->next->header(c->next, h, strings);
}

static int copy_event(struct ior_sink *s, const struct ior_event *e)
{
	struct copy_sink *c = (struct copy_sink *)s;

	if (!ior_filter_stack__match(c->filters, &c->ctx, e))
		return 0;
	c->n++;
	return c->next->event(c->next, e);
}

static int copy_lost(struct ior_sink *s, const struct ior_lost *l)
{
	struct copy_sink *c = (struct copy_sink *)s;

	return c->next->lost ? c->next->lost(c->next, l) : 0;
}

/*
 * Stop a live recording. Under the lock: closing resolves strings of the
 * capture, whose table the capture thread grows. 0 or a negative errno;
 * said in the footer either way.
 */
static int record_stop(struct top *t)
{
	uint64_t n;
	int err, cerr;

	ui_lock(t);
	t->d.record = NULL;
	n = t->d.recorded;
	err = t->d.record_err;
	cerr = record_close(t);
	ui_unlock(t);
	if (!err)
		err = cerr;
	if (err)
		say_error(t, "recording to %s failed: %s", t->rec_path, ior_strerror(err));
	else
		say(t, 0, "recorded %" PRIu64 " events to %s", n, t->rec_path);
	return err;
}

static void toggle_record(struct top *t)
{
	char def[256], path[4096];
	struct ior_sink *s;
	int err;

	if (t->d.record) {
		record_stop(t);
		return;
	}
	stamp(def, sizeof(def), "ior-recording", ".ior.zst");
	if (ask("Record", "Record the filtered events to (.ior.zst or .parquet):", def, path,
		sizeof(path)) || !*path)
		return;
	if (!(s = record_open(t, path)))
		return;
	if (t->o->input) {
		struct ior_trace_reader_opts ro = { .quiet = 1 };
		struct ior_trace_reader *r = ior_trace_reader__open(t->o->input, &ro);
		struct copy_sink c = { { copy_header, copy_event, NULL, copy_lost, NULL }, s,
				       &t->d.filters, { 0 }, 0, 0 };

		err = r ? ior_trace_reader__run(r, &c.sink) : -EIO;
		/* the writers resolve strings until they close: the reader goes last */
		if (!err)
			err = record_close(t);
		else
			record_close(t);
		ior_trace_reader__delete(r);
		if (c.have_ctx)
			ior_evctx__exit(&c.ctx);
		if (err)
			say_error(t, "recording to %s failed: %s", path, ior_strerror(err));
		else
			say(t, 0, "recorded %" PRIu64 " events to %s", c.n, path);
		return;
	}
	ui_lock(t);
	err = t->d.hdr ? s->header(s, t->d.hdr, t->d.strings) : -EAGAIN;
	if (!err) {
		t->d.recorded = 0;
		t->d.record_err = 0;
		t->d.record = s;
		say(t, 0, "recording to %s (R stops)", path);
	}
	ui_unlock(t);
	if (err) {
		record_close(t);
		say_error(t, "cannot record to %s: %s", path, ior_strerror(err));
	}
}

/* --- keys ------------------------------------------------------------------------- */

static void reset(struct top *t)
{
	ui_lock(t);
	if (t->o->input) {
		say(t, 0, "a trace stands still: nothing to reset");
	} else {
		ior_dash__reset(&t->d);
		t->baseline = now_s();
		ior_flame_view__home(&t->fv); /* its key paths were the old aggregate's */
		say(t, 0, "reset: counting from now on");
	}
	ui_unlock(t);
}

static void flame_key(struct top *t, int k)
{
	struct ior_flame_view *v = &t->fv;
	char re[256];
	int err;

	switch (k) {
	case 'o':
		t->order = (t->order + 1) % t->nr_orders;
		v->order = t->orders[t->order];
		ior_flame_view__home(v);
		t->flame_b.valid = 0;
		break;
	case 'b':
		v->metric = (v->metric + 1) % 4;
		break;
	case 'h': case SL_KEY_LEFT: ior_flame_view__move(v, 'h'); break;
	case 'l': case SL_KEY_RIGHT: ior_flame_view__move(v, 'l'); break;
	case 'j': case SL_KEY_DOWN: ior_flame_view__move(v, 'j'); break;
	case 'k': case SL_KEY_UP: ior_flame_view__move(v, 'k'); break;
	case '\r': case '\n': case SL_KEY_ENTER: ior_flame_view__zoom(v); break;
	case 'u':
	case 27:
		if (ior_flame_view__unzoom(v) && k == 27)
			pop_filter(t);
		break;
	case '/':
		if (prompt(t, "search frames (regex): ", re, sizeof(re)))
			break;
		ui_lock(t);
		if (t->flame_b.resets != t->d.resets) { /* the names went with a reset */
			double start = now_s();

			ior_flame_view__build(v, &t->d);
			built(t, &t->flame_b, start);
		}
		err = ior_flame_view__search(v, re);
		ui_unlock(t);
		if (err)
			say(t, 1, "not a regex: %s", re);
		else if (*re && ior_flame_view__next_match(v, 0))
			say(t, 0, "no frame matches %s", re);
		break;
	case 'n':
	case 'N':
		if (ior_flame_view__next_match(v, k == 'N'))
			say(t, 0, "no other match");
		break;
	case ' ':
		t->flame_paused = !t->flame_paused;
		break;
	}
}

static void table_key(struct top *t, int k)
{
	enum ior_dash_table tk = tab_table(t);
	struct ior_dash_rows *rows = &t->table[tk];
	int page = content_rows(t) > 3 ? content_rows(t) - 2 : 1;
	char expr[4200];

	switch (k) {
	case 'j': case SL_KEY_DOWN: t->sel_row[tk]++; break;
	case 'k': case SL_KEY_UP: if (t->sel_row[tk]) t->sel_row[tk]--; break;
	case SL_KEY_NPAGE: t->sel_row[tk] += page; break;
	case SL_KEY_PPAGE: t->sel_row[tk] = t->sel_row[tk] > page ? t->sel_row[tk] - page : 0; break;
	case 'h': case SL_KEY_LEFT: if (t->sel_col[tk]) t->sel_col[tk]--; break;
	case 'l': case SL_KEY_RIGHT: if (t->sel_col[tk] < IOR_COL__NR - 1) t->sel_col[tk]++; break;
	case 's':
	case 'S':
		ui_lock(t);
		table_rows(t, tk); /* fresh: a reset frees the names of the old rows */
		ior_dash_rows__sort(rows, t->sel_col[tk], k == 'S');
		ui_unlock(t);
		t->sel_row[tk] = 0;
		break;
	case 'd':
		if (t->tab == TAB_FILES) {
			t->files_by_dir = !t->files_by_dir;
			t->sel_col[tab_table(t)] = t->sel_col[tk];
		}
		break;
	case '\r': case '\n': case SL_KEY_ENTER:
		ui_lock(t);
		table_rows(t, tk);
		if (t->sel_row[tk] >= 0 && t->sel_row[tk] < (int)rows->nr) {
			ior_dash__row_filter(tk, &rows->row[t->sel_row[tk]], expr, sizeof(expr));
			ui_unlock(t);
			push_filter(t, expr);
			return;
		}
		ui_unlock(t);
		break;
	}
}

static void stream_search(struct top *t, long from, int backward)
{
	long i;

	ui_lock(t);
	i = ior_stream_ring__search(&t->d.ring, &t->d.ctx, &t->s_re, from, backward);
	ui_unlock(t);
	if (i < 0)
		say(t, 0, "no match");
	else
		t->s_row = i;
}

static void stream_pause(struct top *t, int paused)
{
	ui_lock(t);
	if (paused && !t->s_paused)
		stream_refilter(t);
	t->s_paused = paused;
	t->d.ring_frozen = paused && !t->o->input;
	ui_unlock(t);
}

static void stream_key(struct top *t, int k)
{
	int page = content_rows(t) > 3 ? content_rows(t) - 2 : 1;
	char re[256], expr[4200];

	switch (k) {
	case ' ':
		stream_pause(t, !t->s_paused);
		return;
	case '/':
	case '?':
		if (prompt(t, k == '/' ? "search forward (regex): " : "search backward (regex): ", re,
			   sizeof(re)) || !*re)
			return;
		if (t->has_s_re)
			regfree(&t->s_re);
		t->has_s_re = !regcomp(&t->s_re, re, REG_EXTENDED | REG_NOSUB | REG_ICASE);
		if (!t->has_s_re) {
			say(t, 1, "not a regex: %s", re);
			return;
		}
		stream_pause(t, 1);
		t->s_backward = k == '?';
		stream_search(t, t->s_row, t->s_backward);
		return;
	case 'n':
	case 'N':
		if (t->has_s_re) {
			stream_pause(t, 1);
			stream_search(t, t->s_row, (k == 'N') != t->s_backward);
		}
		return;
	case 'x':
	case 'X': {
		char def[256], path[4096];

		stamp(def, sizeof(def), "ior-stream", ".csv");
		if (k == 'X' && (ask("Export", "Export the stream view to:", def, path, sizeof(path)) ||
				 !*path))
			return;
		ui_lock(t);
		export_stream(t, k == 'X' ? path : def);
		ui_unlock(t);
		return;
	}
	}
	if (!t->s_paused)
		return;
	switch (k) {
	case 'j': case SL_KEY_DOWN: t->s_row++; break;
	case 'k': case SL_KEY_UP: if (t->s_row) t->s_row--; break;
	case SL_KEY_NPAGE: t->s_row += page; break;
	case SL_KEY_PPAGE: t->s_row = t->s_row > page ? t->s_row - page : 0; break;
	case 'h': case SL_KEY_LEFT: if (t->s_col) t->s_col--; break;
	case 'l': case SL_KEY_RIGHT: if (t->s_col < NR_SC - 1) t->s_col++; break;
	case '\r': case '\n': case SL_KEY_ENTER: {
		const struct ior_event *e = NULL;
		const char *f = NULL;

		ui_lock(t);
		if (t->s_row >= 0 && t->s_row < (long)t->d.ring.nr_view)
			e = ior_stream_ring__at(&t->d.ring, t->d.ring.view[t->s_row]);
		if (e)
			f = ior_filter_for_cell(&t->d.ctx, e, scol[t->s_col].field, expr, sizeof(expr));
		ui_unlock(t);
		if (f)
			push_filter(t, f);
		else
			say(t, 0, "no filter for this cell");
		break;
	}
	}
}

/* One key: 0 to go on, 1 to quit. */
static int key(struct top *t, int k)
{
	char expr[1024];

	if (t->help && help_key(t, k))
		return 0;
	*t->msg = '\0';
	if (k >= '1' && k <= '7') {
		t->tab = k - '1';
		return 0;
	}
	switch (k) {
	case 'q':
	case 3:
		return 1;
	case '\t':
		t->tab = (t->tab + 1) % NR_TABS;
		return 0;
	case KEY_BTAB:
		t->tab = (t->tab + NR_TABS - 1) % NR_TABS;
		return 0;
	case 'H':
		t->help = 1;
		t->help_top = 0;
		return 0;
	case 'F':
		pop_filter(t);
		return 0;
	case 'c':
		ui_lock(t);
		ior_filter_stack__clear(&t->d.filters);
		filters_changed(t);
		ui_unlock(t);
		return 0;
	case 'f':
		if (!ask("Filter", "Push a filter (comm~bash, path=~^/etc/, latency>=1ms ...):", "",
			 expr, sizeof(expr)) && *expr)
			push_filter(t, expr);
		return 0;
	case 'p':
		pick_process(t);
		return 0;
	case 't':
		pick_thread(t);
		return 0;
	case 'r':
		reset(t);
		return 0;
	case 'R':
		toggle_record(t);
		return 0;
	case 'e':
		export_view(t);
		return 0;
	case 'E':
		open_editor(t);
		return 0;
	}
	switch (t->tab) {
	case TAB_FLAME: flame_key(t, k); return 0;
	case TAB_SYSCALLS:
	case TAB_FILES:
	case TAB_PROCESSES: table_key(t, k); break;
	case TAB_LATENCY:
		if (k == 'j' || k == SL_KEY_DOWN)
			t->lat_sel++;
		else if ((k == 'k' || k == SL_KEY_UP) && t->lat_sel)
			t->lat_sel--;
		break;
	case TAB_STREAM: stream_key(t, k); break;
	}
	if (k == 27)
		pop_filter(t);
	return 0;
}

/* --- the capture thread ------------------------------------------------------------ */

static int top_tick(void *arg)
{
	struct top *t = arg;

	if (!atomic_load(&t->started)) /* the clock runs from the session's start, as -d does */
		t->t0 = t->baseline = t->last_second = t->res.start;
	atomic_store(&t->started, 1);
	if (t->rec_w) /* R: a block a second, as ior record writes them (an error sticks) */
		ior_trace_writer__tick(t->rec_w);
	if (top_signal)
		return 1;
	if (atomic_load(&t->ui_waiting)) {
		/* let the screen in, and wait for our turn */
		pthread_mutex_unlock(&t->lock);
		while (atomic_load(&t->ui_waiting))
			sched_yield();
		pthread_mutex_lock(&t->lock);
	}
	return 0;
}

/* The capture is over, but the dashboard still shows its strings: wait for q. */
static void top_ended(void *arg)
{
	struct top *t = arg;

	t->t_end = t->res.start + t->res.seconds; /* the session's end, not the next frame's */
	atomic_store(&t->done, 1);
	pthread_mutex_unlock(&t->lock);
	while (!atomic_load(&t->screen_done))
		usleep(20000);
	pthread_mutex_lock(&t->lock);
}

static void *capture_main(void *arg)
{
	struct top *t = arg;

	pthread_mutex_lock(&t->lock);
	t->capture_err = ior_session_run(t->o->session, "ior top", &t->d.sink, &t->res);
	atomic_store(&t->done, 1);
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/* --- the loop ----------------------------------------------------------------------- */

static void update(struct top *t, double now)
{
	if (!t->o->input && now - t->last_second >= 1.0) {
		ior_dash__second(&t->d, now - t->last_second);
		t->last_second = now;
	}
	if (t->overflows != t->d.overflows) {
		t->overflows = t->d.overflows;
		t->baseline = now;
		ior_flame_view__home(&t->fv);
		/* give what the old aggregate held back to the system, not to a heap's free list */
		malloc_trim(0);
		say(t, 1, "over %u keys or %llu MiB: the counts started over", t->d.max_groups,
		    (unsigned long long)(t->d.max_bytes >> 20));
	}
}

/*
 * Draw at most every DRAW_MS, and only when something changed (events, a
 * key, a message, the size), or a second passed (the clock). Keys are read
 * as they come; a terminal that hangs up ends the loop.
 */
static void loop(struct top *t)
{
	double next = 0, drawn = 0;
	uint64_t drawn_updates = ~0ULL;
	char drawn_msg[MSG_MAX] = "";
	int quit = 0, dirty = 1;

	while (!quit) {
		double now = now_s();
		struct pollfd pfd = { .fd = SLang_TT_Read_FD, .events = POLLIN };
		int timeout;

		errors_poll(t);
		if (top_signal || ior_session_stop) {
			alarm(0); /* seen: the normal way out */
			break;
		}
		if (top_winch) {
			top_winch = 0;
			SLtt_get_screen_size();
			SLsmg_reinit_smg();
			dirty = 1;
		}
		if (now >= next && (dirty || drawn_updates != t->d.updates ||
				    strcmp(drawn_msg, t->msg) || now - drawn >= 1.0)) {
			t->rows = SLtt_Screen_Rows;
			t->cols = SLtt_Screen_Cols;
			ui_lock(t);
			update(t, now);
			drawn_updates = t->d.updates;
			draw(t);
			ui_unlock(t);
			SLsmg_refresh();
			snprintf(drawn_msg, sizeof(drawn_msg), "%s", t->msg);
			drawn = now_s();
			t->frames++;
			t->draw_seconds += drawn - now;
			next = now + DRAW_MS / 1000.0;
			dirty = 0;
		}
		timeout = (int)((next - now_s()) * 1000);
		if (timeout < DRAW_MS / 5)
			timeout = DRAW_MS / 5;
		if (!SLang_input_pending(0)) {
			if (poll(&pfd, 1, timeout) <= 0)
				continue;
			if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) {
				tty_gone = 1; /* the terminal is gone */
				break;
			}
		}
		while (!quit && SLang_input_pending(0) > 0) {
			int k = get_key();

			if (k == SL_KEY_ERR)
				break;
			quit = key(t, k);
		}
		dirty = 1;
		next = 0; /* show what the key did */
	}
}

static int start_live(struct top *t)
{
	sigset_t stops, old;

	t->o->session->tick = top_tick;
	t->o->session->ended = top_ended;
	t->o->session->tick_arg = t;
	t->o->session->poll_ms = 5;
	t->o->session->command_stdio_null = 1;
	if (pthread_create(&t->thread, NULL, capture_main, t)) {
		error("cannot start the capture thread: %s", strerror(errno));
		return -errno;
	}
	t->have_thread = 1;
	/*
	 * A stop until the capture runs is the session's to take (it holds
	 * one while it starts, then lets nothing run): not this thread's,
	 * whose flag the session would see only at its first tick, after it
	 * let the command run.
	 */
	ior_session_stop_signals(&stops);
	pthread_sigmask(SIG_BLOCK, &stops, &old);
	/* the screen comes up once the capture runs, so its errors print plainly */
	while (!atomic_load(&t->started) && !atomic_load(&t->done)) {
		usleep(2000);
		errors_poll(t);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (atomic_load(&t->done) && t->capture_err)
		return t->capture_err;
	return 0;
}

int ior_top_run(struct ior_top_opts *o)
{
	struct top *t = calloc(1, sizeof(*t));
	int i, err, ret = 0, recording = 0;

	if (!t)
		return 1;
	t->o = o;
	t->rec_fd = -1;
	pthread_mutex_init(&t->lock, NULL);
	ior_flame_view__init(&t->fv);
	if (o->fields.nr)
		t->orders[t->nr_orders++] = o->fields;
	for (i = 0; i < ior_fv_nr_presets; i++)
		if (!o->fields.nr || memcmp(&ior_fv_presets[i], &o->fields, sizeof(o->fields)))
			t->orders[t->nr_orders++] = ior_fv_presets[i];
	t->fv.order = t->orders[0];
	t->fv.metric = o->metric;
	for (i = 0; i < IOR_TABLE__NR; i++)
		t->table[i].col = IOR_COL_COUNT;
	err = ior_dash__init(&t->d, !o->input, o->fields.field, o->fields.nr);
	if (err) {
		error("cannot set up the dashboard: %s", ior_strerror(err));
		ret = 1;
		goto out;
	}
	/*
	 * Live, aggregates come and go: big arrays straight from mmap (glibc's
	 * threshold would otherwise rise past them and keep them in a heap)
	 */
	if (!o->input)
		mallopt(M_MMAP_THRESHOLD, 256 << 10);
	if (o->input) /* a trace is finite: all of it, as ior report has it */
		t->d.max_groups = t->d.max_threads = UINT32_MAX, t->d.max_bytes = UINT64_MAX;
	if (o->scope && ior_filter_stack__set_scope(&t->d.filters, o->scope)) {
		ret = 129;
		goto out;
	}
	for (i = 0; i < o->nr_filters; i++)
		if (ior_filter_stack__push(&t->d.filters, o->filters[i])) {
			ret = 129;
			goto out;
		}
	t->d.filters_seen = t->d.filters.generation;
	t->t0 = t->baseline = t->last_second = now_s();
	{
		/* the loop ends on these; live, the session's handler stands in while it runs */
		struct sigaction stop = { .sa_handler = on_stop };

		sigaction(SIGINT, &stop, NULL);
		sigaction(SIGTERM, &stop, NULL);
		sigaction(SIGHUP, &stop, NULL);
	}
	errors_start(t);
	if (o->input) {
		if (load(t)) {
			ret = 1;
			goto out;
		}
	} else if ((err = start_live(t))) {
		/* stopped while starting (the session held the stop): as record says it */
		ret = err == -EINTR && ior_session_stop ? 128 + ior_session_stop
		      : t->res.not_run ? t->res.command_status : 1;
		goto out;
	}
	if (screen_start()) {
		error("cannot set up the terminal");
		ret = 1;
		goto out;
	}
	t->rows = SLtt_Screen_Rows;
	t->cols = SLtt_Screen_Cols;
	if (o->picker && !o->scope)
		pick_process(t);
	loop(t);
	if (t->d.record) {
		recording = 1;
		if (record_stop(t))
			ret = 1;
	}
	if (tty_gone) /* nobody to show anything to: the recording is safe, go now */
		_exit(128 + SIGHUP);
out:
	screen_down();
	if (t->errors_on)
		errors_stop(t);
	if (recording && !t->msg_warn) /* how the recording ended (a failure was said with the errors) */
		fprintf(stderr, "ior top: %s\n", t->msg);
	if (t->have_thread) {
		atomic_store(&t->screen_done, 1);
		top_signal = top_signal ? top_signal : SIGTERM; /* top_tick stops the session */
		pthread_join(t->thread, NULL);
		if (t->capture_err && !ret)
			ret = 1;
		else if (!ret && o->session->command)
			ret = t->res.command_status;
	}
	if (o->verbose && t->frames)
		fprintf(stderr, "ior top: %" PRIu64 " events seen, %" PRIu64 " lost; %" PRIu64
			" frames in %.1f s (%.1f a second), %.2f ms to draw one\n", t->d.seen, t->d.lost,
			t->frames, now_s() - t->t0, t->frames / (now_s() - t->t0),
			1000 * t->draw_seconds / t->frames);
	if (t->has_s_re)
		regfree(&t->s_re);
	for (i = 0; i < IOR_TABLE__NR; i++)
		ior_dash_rows__exit(&t->table[i]);
	ior_dash_rows__exit(&t->ov_sys);
	ior_dash_rows__exit(&t->ov_files);
	ior_hist__exit(&t->lat_all);
	ior_hist__exit(&t->gap_all);
	ior_flame_view__exit(&t->fv);
	ior_dash__exit(&t->d);
	ior_trace_reader__delete(t->reader);
	pthread_mutex_destroy(&t->lock);
	free(t);
	return ret;
}
