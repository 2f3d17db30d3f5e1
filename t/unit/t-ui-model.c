// SPDX-License-Identifier: GPL-2.0
/* The dashboard's model: the filter stack and the stream ring. */
#include <errno.h>
#include <regex.h>

#include "model.h"
#include "strtab.h"
#include "tap.h"

static const struct ior_syscall_desc sc[] = { { 0, "read", "fs" }, { 257, "openat", "fs" } };

int main(void)
{
	struct ior_trace_header h = { .hostname = "h", .syscalls = sc, .nr_syscalls = 2 };
	struct ior_strtab *t = ior_strtab__new();
	struct ior_filter_stack s;
	struct ior_stream_ring r;
	struct ior_evctx x;
	struct ior_event e[8];
	char buf[256];
	regex_t re;
	unsigned gen;
	int i;

	ior_evctx__init(&x, &h, t);
	for (i = 0; i < 8; i++) {
		memset(&e[i], 0, sizeof(e[i]));
		e[i].seq = i;
		e[i].pid = e[i].tid = 40 + i % 2;
		e[i].nr = i % 3 ? 0 : 257;
		e[i].comm = ior_strtab__intern(t, i % 2 ? "bash" : "make", 4);
		e[i].path = ior_strtab__intern(t, i < 4 ? "/etc/passwd" : "/tmp/x", i < 4 ? 11 : 6);
		e[i].duration = 1000 * (i + 1);
		e[i].ret = i == 5 ? -2 : 1;
	}

	ior_filter_stack__init(&s);
	gen = s.generation;
	ok(!ior_filter_stack__push(&s, "comm~BASH") && !ior_filter_stack__push(&s, "syscall=read"),
	   "push two filters");
	ok(s.generation != gen, "the generation changes");
	is_str(ior_filter_stack__describe(&s, buf, sizeof(buf)), "comm~BASH > syscall=read",
	       "the status line shows the stack");
	ok(ior_filter_stack__match(&s, &x, &e[1]) && !ior_filter_stack__match(&s, &x, &e[3]) &&
	   !ior_filter_stack__match(&s, &x, &e[0]), "both must match");
	fprintf(stdout, "# an error is expected next\n");
	fflush(stdout);
	ok(ior_filter_stack__push(&s, "nosuch=1") == -EINVAL && s.nr == 2, "a bad expression is refused");
	ok(!ior_filter_stack__pop(&s) && s.nr == 1 && !strcmp(s.f[0].expr, "comm~BASH"),
	   "pop takes the last one (LIFO)");
	ok(!ior_filter_stack__pop(&s) && ior_filter_stack__pop(&s) == -ENOENT, "then the first; then none");

	is_str(ior_filter_for_cell(&x, &e[1], IOR_F_COMM, buf, sizeof(buf)), "comm~bash",
	       "a string cell pushes a substring filter");
	is_str(ior_filter_for_cell(&x, &e[1], IOR_F_PID, buf, sizeof(buf)), "pid=41",
	       "a number cell pushes equality");
	e[2].flags = 0x8000000000000001ull;
	is_str(ior_filter_for_cell(&x, &e[2], IOR_F_FLAGS, buf, sizeof(buf)),
	       "flags=9223372036854775809", "a flags cell of bit 63 pushes it as the outputs write it");
	ok(!ior_filter_stack__push(&s, buf) && ior_filter_stack__match(&s, &x, &e[2]) &&
	   !ior_filter_stack__match(&s, &x, &e[3]) && !ior_filter_stack__pop(&s),
	   "and it matches that call only");
	e[2].flags = 0;
	is_str(ior_filter_for_cell(&x, &e[4], IOR_F_LATENCY, buf, sizeof(buf)), "latency>=5000ns",
	       "a latency cell pushes at-least");
	ok(!ior_filter_stack__push(&s, buf) && ior_filter_stack__match(&s, &x, &e[7]) &&
	   !ior_filter_stack__match(&s, &x, &e[3]), "and it means at least");
	ior_filter_stack__clear(&s);
	ok(s.nr == 0, "clear empties the stack");

	ok(!ior_stream_ring__init(&r, 5), "a ring of 5");
	for (i = 0; i < 8; i++)
		ior_stream_ring__add(&r, &e[i]);
	ok(r.count == 5 && r.total == 8, "it keeps the last 5 of 8");
	ok(ior_stream_ring__at(&r, 0)->seq == 3 && ior_stream_ring__at(&r, 4)->seq == 7 &&
	   !ior_stream_ring__at(&r, 5), "oldest first");
	ior_filter_stack__push(&s, "path~/tmp");
	ior_stream_ring__filter(&r, &s, &x);
	ok(r.nr_view == 4 && ior_stream_ring__at(&r, r.view[0])->seq == 4, "the view re-filters the snapshot");
	regcomp(&re, "ENOENT", REG_EXTENDED | REG_NOSUB);
	is_int(ior_stream_ring__search(&r, &x, &re, 0, 0), 1, "search finds the failed call");
	is_int(ior_stream_ring__search(&r, &x, &re, 1, 0), 1, "and wraps round to it again");
	regfree(&re);
	regcomp(&re, "make", REG_EXTENDED | REG_NOSUB);
	is_int(ior_stream_ring__search(&r, &x, &re, 0, 1), 2, "backward, wrapping: the last make");
	regfree(&re);
	regcomp(&re, "nothing-like-this", REG_EXTENDED | REG_NOSUB);
	is_int(ior_stream_ring__search(&r, &x, &re, 0, 0), -1, "no match: -1");
	regfree(&re);

	ior_stream_ring__exit(&r);
	ior_filter_stack__exit(&s);
	ior_evctx__exit(&x);
	ior_strtab__delete(t);
	return done_testing();
}
