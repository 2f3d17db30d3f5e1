/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_VARINT_H
#define IOR_VARINT_H

#include <stddef.h>
#include <stdint.h>

/*
 * LEB128 unsigned varints (7 bits a byte, low bits first, high bit set on
 * every byte but the last; at most 10 bytes for 64 bits) and zigzag for
 * signed values: 0, -1, 1, -2 ... map to 0, 1, 2, 3 ...
 */
#define VARINT_MAX 10

static inline size_t varint_put(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)v | 0x80;
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Decode at *p, not past end. Returns 0, or -1 on a truncated or overlong varint. */
static inline int varint_get(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	const uint8_t *q = *p;
	uint64_t r = 0;
	unsigned shift = 0;

	if (q < end && *q < 0x80) { /* the common one-byte case */
		*v = *q;
		*p = q + 1;
		return 0;
	}
	while (q < end) {
		uint8_t b = *q++;

		if (shift == 63 && b > 1)
			return -1;
		r |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*v = r;
			*p = q;
			return 0;
		}
		shift += 7;
		if (shift > 63)
			return -1;
	}
	return -1;
}

/*
 * The same for a buffer with VARINT_SLACK readable bytes past end: the
 * bytes are read before end is looked at, which leaves fewer branches to
 * the common short varints (the trace reader's decoder).
 */
#define VARINT_SLACK 8

static inline int varint_get_padded(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t r = p[0];
	size_t n = 1;

	if (r >= 0x80) {
		r = (r & 0x7f) | (uint64_t)p[1] << 7;
		n = 2;
		if (p[1] >= 0x80) {
			r = (r & 0x3fff) | (uint64_t)p[2] << 14;
			n = 3;
			if (p[2] >= 0x80) {
				r = (r & 0x1fffff) | (uint64_t)p[3] << 21;
				n = 4;
				if (p[3] >= 0x80)
					return varint_get(pp, end, v);
			}
		}
	}
	if (n > (size_t)(end - p))
		return -1;
	*v = r;
	*pp = p + n;
	return 0;
}

static inline uint64_t zigzag_enc(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t zigzag_dec(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

#endif
