/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_FILTER_H
#define IOR_FILTER_H

#include <regex.h>
#include <stdint.h>

#include "evctx.h"

/*
 * The one filter language of stream, report, flame, convert and top:
 * FIELD OP VALUE, several AND-ed.
 *   comm~bash      contains, ignoring case      comm!~bash   does not
 *   path=~^/etc/   matches the extended regex   path!=~tmp   does not
 *   syscall=openat equals  (also !=)            pid=42, fd!=3
 *   latency>=1ms   compares (<, <=, >, >=)      gap>100us, bytes>0
 *   errno=ENOENT   is_error=1
 * Fields: comm pid tid syscall (tracepoint) family path (file) old_file
 * (path2) dir fd ret errno bytes latency (duration) gap is_error restarts
 * flags host.
 */
enum ior_field {
	IOR_F_COMM, IOR_F_PID, IOR_F_TID, IOR_F_SYSCALL, IOR_F_FAMILY, IOR_F_PATH,
	IOR_F_PATH2, IOR_F_DIR, IOR_F_FD, IOR_F_RET, IOR_F_ERRNO, IOR_F_BYTES,
	IOR_F_LATENCY, IOR_F_GAP, IOR_F_IS_ERROR, IOR_F_RESTARTS, IOR_F_FLAGS, IOR_F_HOST,
	IOR_F__NR
};

/* The field named name (aliases too), or -1. */
int ior_field_by_name(const char *name);
const char *ior_field_name(int field);
/* 1 for comm, syscall, path ...: fields whose values are strings */
int ior_field_is_string(int field);
/* 1 for bytes, latency, gap and flags: 64-bit unsigned, in an int64_t by ior_field_value */
int ior_field_is_unsigned(int field);
/*
 * A field's value for an event: strings into *s (len *len, not
 * NUL-terminated for dir), numbers into *v.
 */
void ior_field_value(const struct ior_evctx *x, const struct ior_event *e, int field,
		     const char **s, size_t *len, int64_t *v);

enum ior_filter_op { IOR_OP_EQ, IOR_OP_NE, IOR_OP_LT, IOR_OP_LE, IOR_OP_GT, IOR_OP_GE,
		     IOR_OP_CONTAINS, IOR_OP_NOT_CONTAINS, IOR_OP_MATCH, IOR_OP_NOT_MATCH,
		     /* <, <=, >, >= of an unsigned field (ior_field_is_unsigned), in this order */
		     IOR_OP_LT_U, IOR_OP_LE_U, IOR_OP_GT_U, IOR_OP_GE_U };

struct ior_filter {
	int field;
	enum ior_filter_op op;
	int64_t num;
	char *str;
	regex_t re;
	int has_re;
	char *expr; /* as given */
};

/* 0, or -EINVAL with a one-line error printed. */
int ior_filter__parse(struct ior_filter *f, const char *expr);
void ior_filter__exit(struct ior_filter *f);
int ior_filter__match(const struct ior_filter *f, const struct ior_evctx *x,
		      const struct ior_event *e);

/*
 * A sink that passes on the events all filters match, and everything else;
 * one trace after another, each from its header.
 */
struct ior_filter_sink {
	struct ior_sink sink;
	struct ior_sink *next;
	struct ior_filter *filters;
	int nr;
	struct ior_evctx ctx;
	uint64_t passed, dropped;
};

/* Parse exprs; 0 or -EINVAL (printed). */
int ior_filter_sink__init(struct ior_filter_sink *fs, const char *const *exprs, int nr,
			  struct ior_sink *next);
void ior_filter_sink__exit(struct ior_filter_sink *fs);

#endif
