/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_UTF8_H
#define IOR_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * The length of the valid UTF-8 sequence at s (at most len bytes), or 0
 * if it is not one: overlong forms, surrogates and values past U+10FFFF
 * are not; *cp its code point. Paths are bytes; every output that must
 * be UTF-8 (JSON, Parquet, folded stacks, SVG) asks this before it writes
 * them.
 */
static inline size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, c = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, c = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static inline size_t utf8_seq(const unsigned char *s, size_t len)
{
	uint32_t cp;

	return utf8_decode(s, len, &cp);
}

/*
 * The columns text takes on a terminal, as ior top's screen (S-Lang)
 * counts them: a wide character (CJK, most emoji) two, a combining mark
 * none, others one; a byte that is not UTF-8 one. For text already made
 * printable (no control characters).
 */
size_t utf8_width(const char *s, size_t len);

/*
 * Where the end of s (len bytes) that takes at most cols columns starts:
 * on a character, never inside one nor on a combining mark (it would
 * join what comes before it). *width: the columns it takes.
 */
const char *utf8_tail(const char *s, size_t len, size_t cols, size_t *width);

#endif
