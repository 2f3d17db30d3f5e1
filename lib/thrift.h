/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_THRIFT_H
#define IOR_THRIFT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Just enough of Thrift's compact protocol to write Parquet's metadata:
 * structs of i8, i32, i64, binary, bool, lists and nested structs. Writes into
 * a growing buffer; a failed allocation sets err and stops writing.
 */
enum thrift_type {
	T_BOOL_TRUE = 1, T_BOOL_FALSE = 2, T_BYTE = 3, T_I16 = 4, T_I32 = 5, T_I64 = 6,
	T_DOUBLE = 7, T_BINARY = 8, T_LIST = 9, T_SET = 10, T_MAP = 11, T_STRUCT = 12,
};

struct thrift {
	uint8_t *buf;
	size_t len, cap;
	int16_t last[32]; /* the last field id, per nesting level */
	int depth;
	int err;
};

void thrift_init(struct thrift *t);
void thrift_free(struct thrift *t);

void thrift_struct_begin(struct thrift *t);
void thrift_struct_end(struct thrift *t); /* writes STOP */
void thrift_field_i8(struct thrift *t, int16_t id, int8_t v);
void thrift_field_i32(struct thrift *t, int16_t id, int32_t v);
void thrift_field_i64(struct thrift *t, int16_t id, int64_t v);
void thrift_field_bool(struct thrift *t, int16_t id, int v);
void thrift_field_binary(struct thrift *t, int16_t id, const void *p, size_t len);
void thrift_field_string(struct thrift *t, int16_t id, const char *s);
/* A struct-valued field: then the fields, then thrift_struct_end(). */
void thrift_field_struct(struct thrift *t, int16_t id);
/* A list-valued field of n elements of elem_type; then the elements. */
void thrift_field_list(struct thrift *t, int16_t id, enum thrift_type elem_type, uint32_t n);
/* list elements */
void thrift_i32(struct thrift *t, int32_t v);
void thrift_string(struct thrift *t, const char *s);
void thrift_elem_struct(struct thrift *t); /* then fields, then thrift_struct_end() */

#endif
