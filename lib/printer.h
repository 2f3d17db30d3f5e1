/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_PRINTER_H
#define IOR_PRINTER_H

#include <stdio.h>

#include "evctx.h"

/*
 * One line per event: text for people, CSV (RFC 4180, via libcsv) and
 * NDJSON for machines. The CSV and JSON columns are those of every
 * machine-readable output of ior (Parquet too):
 */
#define IOR_COLUMNS "seq,timestamp,time_ns,latency_ns,gap_ns,host,comm,pid,tid,syscall,family," \
		    "fd,ret,errno,bytes,file,old_file,flags,is_error,restarts"

enum ior_print_format { IOR_PRINT_TEXT, IOR_PRINT_CSV, IOR_PRINT_JSON };

struct ior_printer {
	struct ior_sink sink;
	FILE *fp;
	enum ior_print_format format;
	struct ior_evctx ctx;
	int have_ctx;
	uint64_t lost, events;
	int err;
	char *esc; /* text: a string escaped for the terminal */
	size_t esc_cap;
};

/* 0, or -EINVAL for an unknown format name. */
int ior_print_format_parse(const char *name, enum ior_print_format *f);
void ior_printer__init(struct ior_printer *p, FILE *fp, enum ior_print_format format);
void ior_printer__exit(struct ior_printer *p);

/* A CSV field, quoted (by libcsv) only when it must be, as RFC 4180 allows. */
void ior_csv_field(FILE *fp, const char *s, size_t len);
/*
 * Text for a terminal, where a comm (set by its program: prctl) or a path
 * may hold what a terminal obeys: s with its control characters and bad
 * UTF-8 as \xNN, and a backslash as two, into out (4 * len + 1 bytes at
 * least), its length back.
 * ior_text_shown: s itself when it needs none, else escaped into *buf
 * (grown to *cap as need be; the caller frees it) with *len set; NULL
 * without memory.
 */
size_t ior_text_escape(char *out, const char *s, size_t len);
const char *ior_text_shown(const char *s, size_t *len, char **buf, size_t *cap);

/* Write s as a JSON string (quotes included): invalid UTF-8 bytes as \u00XX. */
void ior_json_string(FILE *fp, const char *s, size_t len);

#endif
