// SPDX-License-Identifier: GPL-2.0
#include <slang.h>
#include <string.h>

#include "utf8.h"

/* The columns of the character at s, and its length in *n. */
static size_t char_width(const unsigned char *s, size_t len, size_t *n)
{
	uint32_t cp;
	int w;

	if (s[0] < 0x80) {
		*n = 1;
		return 1;
	}
	*n = utf8_decode(s, len, &cp);
	if (!*n) {
		*n = 1;
		return 1;
	}
	w = SLwchar_wcwidth(cp);
	return w < 0 ? 1 : (size_t)w;
}

size_t utf8_width(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, w = 0;
	uint64_t x;

	while (i < len) {
		/* ASCII, the usual path, eight bytes at a time */
		if (len - i >= 8 && (memcpy(&x, s + i, 8), !(x & 0x8080808080808080ull))) {
			w += 8;
			i += 8;
		} else if (s[i] < 0x80) {
			w++;
			i++;
		} else {
			w += char_width(s + i, len - i, &n);
			i += n;
		}
	}
	return w;
}

const char *utf8_tail(const char *str, size_t len, size_t cols, size_t *width)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t p = len, w = 0, n;

	while (p > 0) {
		size_t q = p - 1, cw;

		/* back to the character's first byte (a stray continuation byte is one of its own) */
		while (q > 0 && p - q < 4 && (s[q] & 0xc0) == 0x80)
			q--;
		if (utf8_seq(s + q, len - q) != p - q)
			q = p - 1;
		cw = char_width(s + q, p - q, &n);
		if (w + cw > cols)
			break;
		w += cw;
		p = q;
	}
	while (p < len && char_width(s + p, len - p, &n) == 0) /* no combining mark first */
		p += n;
	*width = w;
	return str + p;
}
