/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_PARSE_OPTIONS_H
#define IOR_PARSE_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

/*
 * A small option parser in the manner of git's parse-options: a table of
 * struct option, usage generated from it. Long options are kebab-case; a
 * long option may also be spelled with one dash (-fields), as the original
 * ior accepted. "-h" asks for help.
 */
enum parse_opt_type {
	OPTION_END,
	OPTION_GROUP,
	OPTION_BOOL,	/* int: 1, or 0 with --no-NAME */
	OPTION_COUNT,	/* int: +1 each time */
	OPTION_STRING,	/* const char * */
	OPTION_STRING_LIST, /* struct string_list, repeatable */
	OPTION_INTEGER,	/* long */
	OPTION_DURATION, /* uint64_t nanoseconds; a bare number is in defval units */
	OPTION_SIZE,	/* uint64_t bytes; K, M, G suffixes (powers of 1024) */
	OPTION_CALLBACK,
};

#define PARSE_OPT_HIDDEN 1	/* an alias spelling: accepted, not listed */
#define PARSE_OPT_NONEG 2	/* no --no-NAME form */

struct option;
/*
 * A callback's value; name is the option as the user typed it ("-p",
 * "--pid", "-pid"), for its errors. 0, or -1 with the error said.
 */
typedef int parse_opt_cb(const struct option *opt, const char *name, const char *arg, int unset);

#define PARSE_OPT_NAME_MAX 32 /* an option's name as typed, as given notes it */

struct option {
	enum parse_opt_type type;
	int short_name;
	const char *long_name;
	void *value;
	const char *argh;
	const char *help;
	int flags;
	parse_opt_cb *callback;
	intptr_t defval;
	/*
	 * Where to note that the option was given, if anywhere: its name as
	 * typed ("-d", "--duration"), the first time, into PARSE_OPT_NAME_MAX
	 * bytes. A value equal to the default was given all the same.
	 */
	char *given;
};

struct string_list {
	const char **items;
	int nr, alloc;
};
void string_list_append(struct string_list *list, const char *s);
void string_list_clear(struct string_list *list);

#define OPT_END() { .type = OPTION_END }
#define OPT_GROUP(h) { .type = OPTION_GROUP, .help = (h) }
#define OPT_BOOL(s, l, v, h) { OPTION_BOOL, (s), (l), (v), NULL, (h) }
#define OPT__VERBOSE(v) { OPTION_COUNT, 'v', "verbose", (v), NULL, "say more (repeat for libbpf's messages)" }
#define OPT__QUIET(v) { OPTION_BOOL, 'q', "quiet", (v), NULL, "say nothing but errors" }
#define OPT_STRING(s, l, v, a, h) { OPTION_STRING, (s), (l), (v), (a), (h) }
#define OPT_STRING_LIST(s, l, v, a, h) { OPTION_STRING_LIST, (s), (l), (v), (a), (h) }
#define OPT_INTEGER(s, l, v, a, h) { OPTION_INTEGER, (s), (l), (v), (a), (h) }
#define OPT_DURATION(s, l, v, a, h, unit) \
	{ OPTION_DURATION, (s), (l), (v), (a), (h), 0, NULL, (unit) }
#define OPT_SIZE(s, l, v, a, h) { OPTION_SIZE, (s), (l), (v), (a), (h) }
#define OPT_CALLBACK(s, l, v, a, h, cb) { OPTION_CALLBACK, (s), (l), (v), (a), (h), 0, (cb) }
#define OPT_HIDDEN_ALIAS(type_, l, v, a) { type_, 0, (l), (v), (a), NULL, PARSE_OPT_HIDDEN }

/* flags for parse_options() */
/* stop at the first non-option (a command); a -- with nothing after it is an error */
#define PARSE_OPT_STOP_AT_NON_OPTION 1
#define PARSE_OPT_KEEP_DASHDASH 2

/* negative returns of parse_options() */
#define PARSE_OPT_HELP (-1)	/* -h was given */
#define PARSE_OPT_ERROR (-2)	/* a usage error; the message is printed */
#define PARSE_OPT_MANUAL (-3)	/* --help was given: the manual page, not the usage */

/*
 * Parse argv[1..argc-1] against opts. Returns the number of remaining
 * arguments, which are moved to argv[0..n-1], or PARSE_OPT_HELP /
 * PARSE_OPT_ERROR / PARSE_OPT_MANUAL.
 */
int parse_options(int argc, const char **argv, const struct option *opts, int flags);

/* Print "usage: ..." lines and the option list to fp. */
void usage_with_options(FILE *fp, const char *const *usagestr, const struct option *opts);

#endif
