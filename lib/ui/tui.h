/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_UI_TUI_H
#define IOR_UI_TUI_H

#include "flame-view.h"
#include "session.h"

/*
 * ior top's screen: S-Lang draws the dashboard, newt the pickers and
 * dialogs. The model (lib/ui/dash.c, flame-view.c, model.c) knows nothing
 * of the terminal; this is the thin layer that draws it and maps keys.
 */
struct ior_top_opts {
	struct ior_session_opts *session; /* live; NULL with input */
	const char *input;		  /* a trace to show instead */
	const char *scope;		  /* "pid=42", "tid=43": skip the picker */
	const char *const *filters;	  /* pushed before the start */
	int nr_filters;
	struct ior_fv_ordering fields; /* --fields: first in the o cycle (nr 0: none) */
	int metric;		       /* --count */
	int picker;		       /* start with the process picker */
	int verbose;		       /* a summary line on exit */
};

/* Run the dashboard until q. The exit code for the command. */
int ior_top_run(struct ior_top_opts *o);

/* The keys of each tab, as the help panel (H) and the man page list them. */
struct ior_top_key {
	const char *keys, *what;
};
struct ior_top_help {
	const char *title;
	const struct ior_top_key *keys;
};
extern const struct ior_top_help ior_top_help[];
extern const int ior_top_nr_help;

#endif
