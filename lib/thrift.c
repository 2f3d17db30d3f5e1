// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "thrift.h"
#include "varint.h"

void thrift_init(struct thrift *t)
{
	memset(t, 0, sizeof(*t));
}

void thrift_free(struct thrift *t)
{
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

static void put(struct thrift *t, const void *p, size_t n)
{
	if (t->err)
		return;
	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		uint8_t *b;

		while (cap < t->len + n)
			cap *= 2;
		b = realloc(t->buf, cap);
		if (!b) {
			t->err = 1;
			return;
		}
		t->buf = b;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, p, n);
	t->len += n;
}

static void put_byte(struct thrift *t, uint8_t b)
{
	put(t, &b, 1);
}

static void put_varint(struct thrift *t, uint64_t v)
{
	uint8_t b[VARINT_MAX];

	put(t, b, varint_put(b, v));
}

static void field_header(struct thrift *t, int16_t id, int type)
{
	int16_t delta = id - t->last[t->depth];

	if (delta > 0 && delta <= 15) {
		put_byte(t, delta << 4 | type);
	} else {
		put_byte(t, type);
		put_varint(t, zigzag_enc(id));
	}
	t->last[t->depth] = id;
}

void thrift_struct_begin(struct thrift *t)
{
	if (t->depth < 31)
		t->depth++;
	t->last[t->depth] = 0;
}

void thrift_struct_end(struct thrift *t)
{
	put_byte(t, 0); /* STOP */
	if (t->depth > 0)
		t->depth--;
}

void thrift_field_i32(struct thrift *t, int16_t id, int32_t v)
{
	field_header(t, id, T_I32);
	put_varint(t, zigzag_enc(v));
}

void thrift_field_i64(struct thrift *t, int16_t id, int64_t v)
{
	field_header(t, id, T_I64);
	put_varint(t, zigzag_enc(v));
}

void thrift_field_i8(struct thrift *t, int16_t id, int8_t v)
{
	field_header(t, id, T_BYTE);
	put_byte(t, (uint8_t)v); /* the compact protocol's byte: as is, no varint */
}

void thrift_field_bool(struct thrift *t, int16_t id, int v)
{
	field_header(t, id, v ? T_BOOL_TRUE : T_BOOL_FALSE);
}

void thrift_field_binary(struct thrift *t, int16_t id, const void *p, size_t len)
{
	field_header(t, id, T_BINARY);
	put_varint(t, len);
	put(t, p, len);
}

void thrift_field_string(struct thrift *t, int16_t id, const char *s)
{
	thrift_field_binary(t, id, s, strlen(s));
}

void thrift_field_struct(struct thrift *t, int16_t id)
{
	field_header(t, id, T_STRUCT);
	thrift_struct_begin(t);
}

void thrift_field_list(struct thrift *t, int16_t id, enum thrift_type elem_type, uint32_t n)
{
	field_header(t, id, T_LIST);
	if (n < 15) {
		put_byte(t, n << 4 | elem_type);
	} else {
		put_byte(t, 0xf0 | elem_type);
		put_varint(t, n);
	}
}

void thrift_i32(struct thrift *t, int32_t v)
{
	put_varint(t, zigzag_enc(v));
}

void thrift_string(struct thrift *t, const char *s)
{
	put_varint(t, strlen(s));
	put(t, s, strlen(s));
}

void thrift_elem_struct(struct thrift *t)
{
	thrift_struct_begin(t);
}
