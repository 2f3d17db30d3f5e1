// SPDX-License-Identifier: GPL-2.0
/*
 * A Parquet writer for the event stream, with no Parquet library: the
 * file layout, page headers and footer (Thrift compact, lib/thrift.c) as
 * the Apache Parquet format specifies them. Every column is REQUIRED;
 * integers are PLAIN, strings dictionary-encoded (a PLAIN dictionary page,
 * then RLE/bit-packed indices), is_error a bit-packed BOOLEAN, timestamp
 * a TIMESTAMP(NANOS, UTC). Pages are zstd-compressed; row groups of
 * IOR_PARQUET_ROWS rows carry min/max statistics. Written front to back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "intmap.h"
#include "parquet.h"
#include "strtab.h"
#include "thrift.h"
#include "usage.h"
#include "utf8.h"
#include "varint.h"
#include "version.h"

/* Parquet's enums */
enum { PQ_BOOLEAN = 0, PQ_INT32 = 1, PQ_INT64 = 2, PQ_BYTE_ARRAY = 6 };
enum { ENC_PLAIN = 0, ENC_PLAIN_DICTIONARY = 2, ENC_RLE = 3, ENC_DELTA_BINARY_PACKED = 5 };
enum { PAGE_DATA = 0, PAGE_DICTIONARY = 2 };
enum { CODEC_ZSTD = 6 };
enum { REQUIRED = 0 };
enum { CONVERTED_UTF8 = 0, CONVERTED_UINT_64 = 14 };

/* K_U64: INT64 annotated unsigned (a bit mask: flags), min/max compared so */
enum col_kind { K_I64, K_U64, K_I32, K_STR, K_BOOL, K_TS, K_DELTA };

enum col_id {
	C_SEQ, C_TIMESTAMP, C_TIME_NS, C_LATENCY, C_GAP, C_HOST, C_COMM, C_PID, C_TID, C_SYSCALL,
	C_FAMILY, C_FD, C_RET, C_ERRNO, C_BYTES, C_FILE, C_OLD_FILE, C_FLAGS, C_IS_ERROR, C_RESTARTS,
	C__NR
};

static const struct {
	const char *name;
	enum col_kind kind;
} cols[C__NR] = {
	{ "seq", K_DELTA }, { "timestamp", K_TS }, { "time_ns", K_DELTA }, { "latency_ns", K_I64 },
	{ "gap_ns", K_I64 }, { "host", K_STR }, { "comm", K_STR }, { "pid", K_I32 },
	{ "tid", K_I32 }, { "syscall", K_STR }, { "family", K_STR }, { "fd", K_I32 },
	{ "ret", K_I64 }, { "errno", K_STR }, { "bytes", K_I64 }, { "file", K_STR },
	{ "old_file", K_STR }, { "flags", K_U64 }, { "is_error", K_BOOL }, { "restarts", K_I32 },
};

struct chunk_meta {
	int64_t dict_offset, data_offset, uncompressed, compressed;
	int has_dict, encoding;
	uint8_t min[8], max[8]; /* numbers: little-endian */
	char *smin, *smax;	/* strings */
	size_t smin_len, smax_len;
};

struct row_group {
	int64_t rows, bytes;
	struct chunk_meta c[C__NR];
};

struct ior_parquet {
	struct ior_sink sink;
	int fd;
	char *name;
	uint64_t offset;
	struct ior_evctx ctx;
	int have_ctx;
	char *host, *kernel, *version, *start;
	int64_t *num[C__NR];  /* number columns of the group, filled as events come */
	uint32_t *key[C__NR]; /* string columns: dictionary keys */
	uint32_t nr_rows, rows_per_group;
	struct row_group *groups;
	uint32_t nr_groups, alloc_groups;
	uint64_t total_rows, lost;
	ZSTD_CCtx *cctx;
	uint8_t *page, *zpage, *fix;
	size_t page_cap, zpage_cap, fix_cap;
	/* building a dictionary: key -> its place, valid where stamp == gen */
	uint32_t *dict_pos, *dict_stamp, dict_size, dict_gen;
	int err;
};

/*
 * Key k's place in the dictionary being built: next if k is new (*added
 * set); -1 when out of memory. Keys are string ids, syscall numbers and
 * errnos: small and dense in a real trace, so an array of places (valid
 * where their stamp is dict_gen) serves them; from DICT_DIRECT on (only a
 * damaged or made-up trace has such keys) the hash map big does.
 */
#define DICT_DIRECT (1u << 22)
static int64_t dict_place(struct ior_parquet *w, struct intmap *big, uint32_t k, uint32_t next,
			  int *added)
{
	uint64_t *v;

	if (k >= DICT_DIRECT) {
		v = intmap__get(big, k, added);
		if (!v)
			return -1;
		if (*added)
			*v = next;
		return *v;
	}
	if (k >= w->dict_size) {
		uint32_t size = w->dict_size ? w->dict_size : 1024;
		uint32_t *pos, *stamp;

		while (size <= k)
			size *= 2;
		pos = realloc(w->dict_pos, size * sizeof(*pos));
		if (pos)
			w->dict_pos = pos;
		stamp = realloc(w->dict_stamp, size * sizeof(*stamp));
		if (stamp)
			w->dict_stamp = stamp;
		if (!pos || !stamp)
			return -1;
		memset(stamp + w->dict_size, 0, (size - w->dict_size) * sizeof(*stamp));
		w->dict_size = size;
	}
	*added = w->dict_stamp[k] != w->dict_gen;
	if (*added) {
		w->dict_stamp[k] = w->dict_gen;
		w->dict_pos[k] = next;
	}
	return w->dict_pos[k];
}

/* --- output --------------------------------------------------------------- */

static int out(struct ior_parquet *w, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n && !w->err) {
		ssize_t r = write(w->fd, b, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			w->err = -errno;
			if (!strcmp(w->name, "-")) {
				if (errno != EPIPE) /* the reader left (| head): not ours to report */
					error("cannot write to standard output: %s", strerror(errno));
			} else {
				error("cannot write '%s': %s", w->name, strerror(errno));
			}
			break;
		}
		b += r;
		n -= r;
		w->offset += r;
	}
	return w->err;
}

static int reserve(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *b;

	if (need <= *cap)
		return 0;
	b = realloc(*buf, need);
	if (!b)
		return -ENOMEM;
	*buf = b;
	*cap = need;
	return 0;
}

/*
 * Pages are compressed at zstd level 1: against level 3, on a real capture
 * 13% less CPU for a file 3.6% bigger (on a synthetic pread trace 12%
 * more CPU for 12% more bytes; on random data 12% less CPU, 7% smaller).
 */
#define PAGE_ZSTD_LEVEL 1

/* Compress a page body and write its header and it; returns the bytes written. */
static int64_t write_page(struct ior_parquet *w, int type, const uint8_t *body, size_t len,
			  uint32_t num_values, int encoding, int64_t *uncompressed)
{
	size_t z, bound = ZSTD_compressBound(len);
	struct thrift t;
	int64_t n;

	if (reserve(&w->zpage, &w->zpage_cap, bound))
		return w->err = -ENOMEM;
	z = ZSTD_compressCCtx(w->cctx, w->zpage, w->zpage_cap, body, len, PAGE_ZSTD_LEVEL);
	if (ZSTD_isError(z)) {
		error("cannot compress a page of '%s': %s", w->name, ZSTD_getErrorName(z));
		return w->err = -EIO;
	}
	thrift_init(&t);
	thrift_struct_begin(&t);
	thrift_field_i32(&t, 1, type);
	thrift_field_i32(&t, 2, len);
	thrift_field_i32(&t, 3, z);
	if (type == PAGE_DATA) {
		thrift_field_struct(&t, 5); /* DataPageHeader */
		thrift_field_i32(&t, 1, num_values);
		thrift_field_i32(&t, 2, encoding);
		thrift_field_i32(&t, 3, ENC_RLE); /* definition levels: none (REQUIRED) */
		thrift_field_i32(&t, 4, ENC_RLE); /* repetition levels: none */
		thrift_struct_end(&t);
	} else {
		thrift_field_struct(&t, 7); /* DictionaryPageHeader */
		thrift_field_i32(&t, 1, num_values);
		thrift_field_i32(&t, 2, encoding);
		thrift_struct_end(&t);
	}
	thrift_struct_end(&t);
	if (t.err) {
		thrift_free(&t);
		return w->err = -ENOMEM;
	}
	out(w, t.buf, t.len);
	out(w, w->zpage, z);
	n = t.len + z;
	*uncompressed += t.len + len;
	thrift_free(&t);
	return w->err ? w->err : n;
}

/* --- values --------------------------------------------------------------- */

/*
 * DELTA_BINARY_PACKED (Parquet encoding 5): blocks of 128 values in 4
 * miniblocks of 32, each the deltas less the block's smallest, bit-packed.
 * Times and sequence numbers shrink to a few bits a value.
 */
#define DBP_BLOCK 128
#define DBP_MINI 32
/*
 * The most a block takes: its min, its widths, and every miniblock that
 * holds a value packed at 64 bits for all 32 (the last one is padded).
 * A full block is less than 9 bytes a value, a last one is not.
 */
#define DBP_BLOCK_MAX (10 + DBP_BLOCK / DBP_MINI + DBP_BLOCK * 8)
static size_t delta_encode(uint8_t *out, const int64_t *v, uint32_t n)
{
	size_t len = 0;
	uint32_t i, b, m;

	len += varint_put(out + len, DBP_BLOCK);
	len += varint_put(out + len, DBP_BLOCK / DBP_MINI);
	len += varint_put(out + len, n);
	len += varint_put(out + len, zigzag_enc(n ? v[0] : 0));
	for (b = 1; b < n; b += DBP_BLOCK) {
		uint32_t cnt = n - b < DBP_BLOCK ? n - b : DBP_BLOCK;
		uint64_t d[DBP_BLOCK];
		int64_t min = INT64_MAX;
		uint8_t widths[DBP_BLOCK / DBP_MINI];

		for (i = 0; i < cnt; i++) {
			int64_t delta = (int64_t)((uint64_t)v[b + i] - (uint64_t)v[b + i - 1]);

			d[i] = delta;
			if (delta < min)
				min = delta;
		}
		for (i = 0; i < cnt; i++)
			d[i] -= (uint64_t)min;
		len += varint_put(out + len, zigzag_enc(min));
		for (m = 0; m < DBP_BLOCK / DBP_MINI; m++) {
			uint64_t all = 0;

			for (i = m * DBP_MINI; i < (m + 1) * DBP_MINI && i < cnt; i++)
				all |= d[i];
			widths[m] = all ? 64 - __builtin_clzll(all) : 0;
			if (m * DBP_MINI >= cnt)
				widths[m] = 0;
		}
		memcpy(out + len, widths, sizeof(widths));
		len += sizeof(widths);
		for (m = 0; m < DBP_BLOCK / DBP_MINI && m * DBP_MINI < cnt; m++) {
			unsigned __int128 acc = 0;
			int bits = 0, width = widths[m];

			for (i = m * DBP_MINI; i < (m + 1) * DBP_MINI; i++) {
				acc |= (unsigned __int128)(i < cnt ? d[i] : 0) << bits;
				bits += width;
				while (bits >= 8) {
					out[len++] = (uint8_t)acc;
					acc >>= 8;
					bits -= 8;
				}
			}
		}
	}
	return len;
}

/* The string of a string column's dictionary key. */
/*
 * Parquet strings are UTF-8 (readers check): a byte of a path that is not
 * becomes \xNN, as in ior stream's text. Valid strings are returned as
 * they are; others are rewritten into w->fix.
 */
static const char *utf8_safe(struct ior_parquet *w, const char *str, size_t *len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, n, o = 0;

	for (i = 0; i < *len; i += n)
		if (!(n = utf8_seq(s + i, *len - i)))
			break;
	if (i == *len)
		return str;
	if (reserve(&w->fix, &w->fix_cap, *len * 4 + 1))
		return "";
	for (i = 0; i < *len;) {
		n = utf8_seq(s + i, *len - i);
		if (n) {
			memcpy(w->fix + o, s + i, n);
			o += n;
			i += n;
		} else {
			o += sprintf((char *)w->fix + o, "\\x%02x", s[i++]);
		}
	}
	*len = o;
	return (const char *)w->fix;
}

/* A copy of s (NULL: "") made UTF-8 as utf8_safe makes it; NULL when out of memory. */
static char *utf8_dup(struct ior_parquet *w, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	s = utf8_safe(w, s ? s : "", &len);
	return strndup(s, len);
}

/* The string of a string column's key: every one made UTF-8, the trace's names too. */
static const char *str_of(struct ior_parquet *w, int c, uint32_t key, size_t *len)
{
	const char *s;

	switch (c) {
	case C_HOST: s = w->host; break; /* made UTF-8 once, by pq_header */
	case C_COMM: case C_FILE: case C_OLD_FILE:
		s = ior_evctx__str(&w->ctx, key);
		*len = ior_evctx__strlen(&w->ctx, key);
		return utf8_safe(w, s, len);
	case C_SYSCALL: s = ior_evctx__syscall(&w->ctx, key); break;
	case C_FAMILY: s = ior_evctx__family(&w->ctx, key); break;
	case C_ERRNO: s = ior_errno_name(key); break;
	default: s = "";
	}
	*len = strlen(s);
	return c == C_HOST ? s : utf8_safe(w, s, len);
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

static int strcmp_len(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	return c ? c : (al > bl) - (al < bl);
}

static char *dup_len(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* RLE/bit-packed hybrid, all bit-packed: groups of 8 values of width bits. */
static size_t bitpack(uint8_t *out, const uint32_t *v, uint32_t n, int width)
{
	uint32_t groups = (n + 7) / 8, i;
	size_t len = varint_put(out, (uint64_t)groups << 1 | 1);
	uint64_t acc = 0;
	int bits = 0;

	for (i = 0; i < groups * 8; i++) {
		acc |= (uint64_t)(i < n ? v[i] : 0) << bits;
		bits += width;
		while (bits >= 8) {
			out[len++] = acc;
			acc >>= 8;
			bits -= 8;
		}
	}
	if (bits)
		out[len++] = acc;
	return len;
}

static int write_column(struct ior_parquet *w, struct row_group *g, int c)
{
	struct chunk_meta *m = &g->c[c];
	uint32_t n = w->nr_rows, i;
	int64_t unc = 0, comp = 0, r;

	if (cols[c].kind == K_STR) {
		uint32_t *idx = malloc(n * sizeof(*idx) + 1), nd = 0, *keys = NULL;
		struct intmap big; /* keys too big for the arrays (a damaged trace's) */
		size_t dlen = 0;
		int width = 1, oom;

		intmap__init(&big);
		w->dict_gen++; /* a new dictionary: every stamp is stale */
		keys = malloc(n * sizeof(*keys) + 1);
		if (!idx || !keys) {
			free(idx);
			free(keys);
			return w->err = -ENOMEM;
		}
		for (i = 0; i < n; i++) {
			uint32_t k = w->key[c][i];
			int added;
			int64_t place = dict_place(w, &big, k, nd, &added);

			if (place < 0)
				break;
			if (added)
				keys[nd++] = k;
			idx[i] = place;
		}
		intmap__exit(&big);
		oom = i < n;
		/* the dictionary page: each value as a 4-byte length and its bytes */
		for (i = 0; i < nd; i++) {
			size_t len;

			str_of(w, c, keys[i], &len);
			dlen += 4 + len;
		}
		if (oom || reserve(&w->page, &w->page_cap, dlen + 16)) {
			free(idx);
			free(keys);
			return w->err = -ENOMEM;
		}
		dlen = 0;
		for (i = 0; i < nd; i++) {
			size_t len;
			const char *s = str_of(w, c, keys[i], &len);

			put_le(w->page + dlen, len, 4);
			memcpy(w->page + dlen + 4, s, len);
			dlen += 4 + len;
			if (!m->smin || strcmp_len(s, len, m->smin, m->smin_len) < 0) {
				free(m->smin);
				m->smin = dup_len(s, len);
				m->smin_len = len;
			}
			if (!m->smax || strcmp_len(s, len, m->smax, m->smax_len) > 0) {
				free(m->smax);
				m->smax = dup_len(s, len);
				m->smax_len = len;
			}
		}
		m->has_dict = 1;
		m->dict_offset = w->offset;
		r = write_page(w, PAGE_DICTIONARY, w->page, dlen, nd, ENC_PLAIN_DICTIONARY, &unc);
		if (r < 0)
			goto str_out;
		comp += r;
		while ((1u << width) < nd)
			width++;
		if (reserve(&w->page, &w->page_cap, 1 + 10 + (size_t)(n + 8) * width / 8 + 16)) {
			r = w->err = -ENOMEM;
			goto str_out;
		}
		w->page[0] = width;
		m->data_offset = w->offset;
		r = write_page(w, PAGE_DATA, w->page, 1 + bitpack(w->page + 1, idx, n, width), n,
			       ENC_PLAIN_DICTIONARY, &unc);
		if (r >= 0)
			comp += r;
str_out:
		free(idx);
		free(keys);
		if (r < 0)
			return r;
	} else {
		int size = cols[c].kind == K_I32 ? 4 : 8, enc = ENC_PLAIN;
		int64_t min = INT64_MAX, max = INT64_MIN, *v = w->num[c];
		size_t len;

		/* room for the values and for any encoding of them */
		if (reserve(&w->page, &w->page_cap, (size_t)n * 9 + 64 + DBP_BLOCK_MAX))
			return w->err = -ENOMEM;
		if (cols[c].kind == K_U64) { /* the statistics follow the column's order */
			uint64_t umin = UINT64_MAX, umax = 0;

			for (i = 0; i < n; i++) {
				if ((uint64_t)v[i] < umin)
					umin = v[i];
				if ((uint64_t)v[i] > umax)
					umax = v[i];
			}
			min = (int64_t)umin;
			max = (int64_t)umax;
		} else {
			for (i = 0; i < n; i++) {
				if (v[i] < min)
					min = v[i];
				if (v[i] > max)
					max = v[i];
			}
		}
		if (cols[c].kind == K_BOOL) {
			len = (n + 7) / 8;
			memset(w->page, 0, len);
			for (i = 0; i < n; i++)
				w->page[i / 8] |= (v[i] != 0) << (i % 8);
		} else if (cols[c].kind == K_DELTA || cols[c].kind == K_TS) {
			len = delta_encode(w->page, v, n);
			enc = ENC_DELTA_BINARY_PACKED;
		} else if (size == 4) {
			int32_t *p = (int32_t *)w->page; /* little-endian, as x86 and arm64 are */

			for (i = 0; i < n; i++)
				p[i] = (int32_t)v[i];
			len = (size_t)n * 4;
		} else {
			memcpy(w->page, v, (size_t)n * 8);
			len = (size_t)n * 8;
		}
		put_le(m->min, min, cols[c].kind == K_BOOL ? 1 : size);
		put_le(m->max, max, cols[c].kind == K_BOOL ? 1 : size);
		m->encoding = enc;
		m->data_offset = w->offset;
		r = write_page(w, PAGE_DATA, w->page, len, n, enc, &unc);
		if (r < 0)
			return r;
		comp += r;
	}
	m->uncompressed = unc;
	m->compressed = comp;
	g->bytes += unc;
	return 0;
}

static int flush_group(struct ior_parquet *w)
{
	struct row_group *g;
	int c;

	if (!w->nr_rows || w->err)
		return w->err;
	if (w->nr_groups == w->alloc_groups) {
		uint32_t alloc = w->alloc_groups ? w->alloc_groups * 2 : 16;
		struct row_group *gr = realloc(w->groups, alloc * sizeof(*gr));

		if (!gr)
			return w->err = -ENOMEM;
		w->groups = gr;
		w->alloc_groups = alloc;
	}
	g = &w->groups[w->nr_groups++];
	memset(g, 0, sizeof(*g));
	g->rows = w->nr_rows;
	for (c = 0; c < C__NR && !w->err; c++)
		write_column(w, g, c);
	w->total_rows += w->nr_rows;
	w->nr_rows = 0;
	return w->err;
}

/* --- the footer ----------------------------------------------------------- */

static int physical_type(int c)
{
	switch (cols[c].kind) {
	case K_I32: return PQ_INT32;
	case K_STR: return PQ_BYTE_ARRAY;
	case K_BOOL: return PQ_BOOLEAN;
	default: return PQ_INT64;
	}
}

static void schema(struct thrift *t)
{
	int c;

	thrift_field_list(t, 2, T_STRUCT, C__NR + 1);
	thrift_elem_struct(t);
	thrift_field_string(t, 4, "schema");
	thrift_field_i32(t, 5, C__NR);
	thrift_struct_end(t);
	for (c = 0; c < C__NR; c++) {
		thrift_elem_struct(t);
		thrift_field_i32(t, 1, physical_type(c));
		thrift_field_i32(t, 3, REQUIRED);
		thrift_field_string(t, 4, cols[c].name);
		if (cols[c].kind == K_STR) {
			thrift_field_i32(t, 6, CONVERTED_UTF8);
			thrift_field_struct(t, 10); /* LogicalType */
			thrift_field_struct(t, 1);  /* STRING */
			thrift_struct_end(t);
			thrift_struct_end(t);
		} else if (cols[c].kind == K_TS) {
			thrift_field_struct(t, 10); /* LogicalType */
			thrift_field_struct(t, 8);  /* TIMESTAMP */
			thrift_field_bool(t, 1, 1); /* isAdjustedToUTC */
			thrift_field_struct(t, 2);  /* unit */
			thrift_field_struct(t, 3);  /* NANOS */
			thrift_struct_end(t);
			thrift_struct_end(t);
			thrift_struct_end(t);
			thrift_struct_end(t);
		} else if (cols[c].kind == K_U64) {
			thrift_field_i32(t, 6, CONVERTED_UINT_64);
			thrift_field_struct(t, 10); /* LogicalType */
			thrift_field_struct(t, 10); /* INTEGER */
			thrift_field_i8(t, 1, 64);  /* bitWidth */
			thrift_field_bool(t, 2, 0); /* isSigned */
			thrift_struct_end(t);
			thrift_struct_end(t);
		}
		thrift_struct_end(t);
	}
}

static void column_chunk(struct thrift *t, const struct chunk_meta *m, int c, int64_t rows)
{
	int size = cols[c].kind == K_I32 ? 4 : cols[c].kind == K_BOOL ? 1 : 8;

	thrift_elem_struct(t);
	thrift_field_i64(t, 2, m->has_dict ? m->dict_offset : m->data_offset);
	thrift_field_struct(t, 3); /* ColumnMetaData */
	thrift_field_i32(t, 1, physical_type(c));
	if (m->has_dict) {
		thrift_field_list(t, 2, T_I32, 3);
		thrift_i32(t, ENC_PLAIN_DICTIONARY);
		thrift_i32(t, ENC_PLAIN);
		thrift_i32(t, ENC_RLE);
	} else {
		thrift_field_list(t, 2, T_I32, 2);
		thrift_i32(t, m->encoding);
		thrift_i32(t, ENC_RLE);
	}
	thrift_field_list(t, 3, T_BINARY, 1);
	thrift_string(t, cols[c].name);
	thrift_field_i32(t, 4, CODEC_ZSTD);
	thrift_field_i64(t, 5, rows); /* num_values: REQUIRED, so one a row */
	thrift_field_i64(t, 6, m->uncompressed);
	thrift_field_i64(t, 7, m->compressed);
	thrift_field_i64(t, 9, m->data_offset);
	if (m->has_dict)
		thrift_field_i64(t, 11, m->dict_offset);
	thrift_field_struct(t, 12); /* Statistics */
	thrift_field_i64(t, 3, 0);  /* null_count */
	if (m->has_dict) {
		thrift_field_binary(t, 5, m->smax ? m->smax : "", m->smax_len);
		thrift_field_binary(t, 6, m->smin ? m->smin : "", m->smin_len);
	} else {
		thrift_field_binary(t, 5, m->max, size);
		thrift_field_binary(t, 6, m->min, size);
	}
	thrift_struct_end(t);
	thrift_struct_end(t);
	thrift_struct_end(t);
}

static void kv(struct thrift *t, const char *key, const char *value)
{
	thrift_elem_struct(t);
	thrift_field_string(t, 1, key);
	thrift_field_string(t, 2, value ? value : "");
	thrift_struct_end(t);
}

static int write_footer(struct ior_parquet *w)
{
	char lost[32], created[96];
	struct thrift t;
	uint32_t g;
	uint8_t len[4];
	int c;

	thrift_init(&t);
	thrift_struct_begin(&t);
	thrift_field_i32(&t, 1, 1);
	schema(&t);
	thrift_field_i64(&t, 3, w->total_rows);
	thrift_field_list(&t, 4, T_STRUCT, w->nr_groups);
	for (g = 0; g < w->nr_groups; g++) {
		const struct row_group *rg = &w->groups[g];

		thrift_elem_struct(&t);
		thrift_field_list(&t, 1, T_STRUCT, C__NR);
		for (c = 0; c < C__NR; c++)
			column_chunk(&t, &rg->c[c], c, rg->rows);
		thrift_field_i64(&t, 2, rg->bytes);
		thrift_field_i64(&t, 3, rg->rows);
		thrift_struct_end(&t);
	}
	snprintf(lost, sizeof(lost), "%llu", (unsigned long long)w->lost);
	thrift_field_list(&t, 5, T_STRUCT, 5);
	kv(&t, "host", w->host);
	kv(&t, "kernel", w->kernel);
	kv(&t, "start", w->start);
	kv(&t, "ior_version", w->version);
	kv(&t, "lost_events", lost);
	snprintf(created, sizeof(created), "ior version %s", IOR_VERSION);
	thrift_field_string(&t, 6, created);
	/*
	 * How the statistics' min_value and max_value are ordered (without
	 * this, the format leaves them undefined): each column by its type's
	 * own order, flags unsigned, strings byte by byte.
	 */
	thrift_field_list(&t, 7, T_STRUCT, C__NR);
	for (c = 0; c < C__NR; c++) {
		thrift_elem_struct(&t);
		thrift_field_struct(&t, 1); /* TYPE_ORDER: a TypeDefinedOrder, empty */
		thrift_struct_end(&t);
		thrift_struct_end(&t);
	}
	thrift_struct_end(&t);
	if (t.err) {
		thrift_free(&t);
		return w->err = -ENOMEM;
	}
	put_le(len, t.len, 4);
	out(w, t.buf, t.len);
	out(w, len, 4);
	out(w, "PAR1", 4);
	thrift_free(&t);
	return w->err;
}

/* --- the sink --------------------------------------------------------------- */

static int pq_header(struct ior_sink *s, const struct ior_trace_header *h,
		     const struct ior_strtab *strings)
{
	struct ior_parquet *w = (struct ior_parquet *)s;
	char start[48];

	if (w->have_ctx) { /* a second trace: flush what the first left */
		if (flush_group(w))
			return w->err;
		ior_evctx__exit(&w->ctx);
	}
	if (ior_evctx__init(&w->ctx, h, strings))
		return w->err = -ENOMEM;
	w->have_ctx = 1;
	ior_format_wall(start, sizeof(start), h->start_time + h->boot_to_wall);
	free(w->host);
	free(w->kernel);
	free(w->version);
	free(w->start);
	/* the host column and the key/value metadata are UTF-8 strings too */
	w->host = utf8_dup(w, h->hostname);
	w->kernel = utf8_dup(w, h->kernel);
	w->version = utf8_dup(w, h->ior_version);
	w->start = strdup(start);
	if (!w->host || !w->kernel || !w->version || !w->start)
		return w->err = -ENOMEM;
	if (!w->offset)
		out(w, "PAR1", 4);
	return w->err;
}

/* An event goes into the columns at once: encoding then reads them in order. */
static int pq_event(struct ior_sink *s, const struct ior_event *e)
{
	struct ior_parquet *w = (struct ior_parquet *)s;
	uint32_t i = w->nr_rows++;

	w->num[C_SEQ][i] = e->seq;
	w->num[C_TIMESTAMP][i] = (int64_t)e->time + w->ctx.hdr->boot_to_wall;
	w->num[C_TIME_NS][i] = e->time;
	w->num[C_LATENCY][i] = e->duration;
	w->num[C_GAP][i] = e->gap;
	w->num[C_PID][i] = e->pid;
	w->num[C_TID][i] = e->tid;
	w->num[C_FD][i] = e->fd;
	w->num[C_RET][i] = e->ret;
	w->num[C_BYTES][i] = e->bytes;
	w->num[C_FLAGS][i] = e->flags;
	w->num[C_IS_ERROR][i] = ior_is_error(e->ret);
	w->num[C_RESTARTS][i] = e->restarts;
	w->key[C_HOST][i] = 0;
	w->key[C_COMM][i] = e->comm;
	w->key[C_SYSCALL][i] = e->nr;
	w->key[C_FAMILY][i] = e->nr;
	w->key[C_ERRNO][i] = ior_errno(e->ret);
	w->key[C_FILE][i] = e->path;
	w->key[C_OLD_FILE][i] = e->path2;
	if (w->nr_rows == w->rows_per_group)
		return flush_group(w);
	return 0;
}

static int pq_lost(struct ior_sink *s, const struct ior_lost *l)
{
	struct ior_parquet *w = (struct ior_parquet *)s;

	if (ior_lost_events(l->kind))
		w->lost += l->count;
	return 0;
}

static int pq_finish(struct ior_sink *s, const struct ior_trace_footer *f)
{
	return flush_group((struct ior_parquet *)s);
}

struct ior_parquet *ior_parquet__new(int fd, const char *name, uint32_t rows_per_group)
{
	struct ior_parquet *w = calloc(1, sizeof(*w));
	int c;

	if (!w)
		return NULL;
	w->fd = fd;
	w->name = strdup(name);
	w->rows_per_group = rows_per_group ? rows_per_group : IOR_PARQUET_ROWS;
	w->sink.header = pq_header;
	w->sink.event = pq_event;
	w->sink.lost = pq_lost;
	w->sink.finish = pq_finish;
	w->cctx = ZSTD_createCCtx();
	if (!w->name || !w->cctx)
		goto fail;
	for (c = 0; c < C__NR; c++) {
		if (cols[c].kind == K_STR)
			w->key[c] = malloc(w->rows_per_group * sizeof(*w->key[c]));
		else
			w->num[c] = malloc(w->rows_per_group * sizeof(*w->num[c]));
		if (!w->key[c] && !w->num[c])
			goto fail;
	}
	return w;
fail:
	error("cannot write '%s': %s", name, strerror(ENOMEM));
	ior_parquet__delete(w);
	return NULL;
}

struct ior_sink *ior_parquet__sink(struct ior_parquet *w)
{
	return &w->sink;
}

int ior_parquet__close(struct ior_parquet *w)
{
	if (!w->have_ctx) {
		error("no trace to convert into '%s'", w->name);
		return -EINVAL;
	}
	if (flush_group(w))
		return w->err;
	return write_footer(w);
}

void ior_parquet__delete(struct ior_parquet *w)
{
	uint32_t g;
	int c;

	if (!w)
		return;
	for (g = 0; g < w->nr_groups; g++)
		for (c = 0; c < C__NR; c++) {
			free(w->groups[g].c[c].smin);
			free(w->groups[g].c[c].smax);
		}
	if (w->have_ctx)
		ior_evctx__exit(&w->ctx);
	ZSTD_freeCCtx(w->cctx);
	free(w->dict_pos);
	free(w->dict_stamp);
	for (c = 0; c < C__NR; c++) {
		free(w->num[c]);
		free(w->key[c]);
	}
	free(w->groups);
	free(w->page);
	free(w->zpage);
	free(w->fix);
	free(w->host);
	free(w->kernel);
	free(w->version);
	free(w->start);
	free(w->name);
	free(w);
}
