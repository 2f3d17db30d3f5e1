// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "tap.h"
#include "utf8.h"

/* The tail of s in cols columns, as a string. */
static const char *tail(const char *s, size_t cols, size_t *w)
{
	return utf8_tail(s, strlen(s), cols, w);
}

int main(void)
{
	size_t w;

	is_int(utf8_width("plain ascii, longer than eight", 30), 30, "ASCII: a column a byte");
	is_int(utf8_width("\xc3\xa9t\xc3\xa9", 5), 3, "two-byte characters: a column each");
	is_int(utf8_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4, "CJK: two columns each");
	is_int(utf8_width("e\xcc\x81", 3), 1, "a combining mark: none");
	is_int(utf8_width("a\xff" "b", 3), 3, "a byte that is not UTF-8: one");
	is_int(utf8_width("\xf0\x9f\x98\x80", 4), 2, "an emoji: two");

	is_str(tail("\xc3\xa9\xc3\xa9\xc3\xa9", 2, &w), "\xc3\xa9\xc3\xa9",
	       "the tail of two columns is two characters, not two bytes");
	is_int(w, 2, "and takes two columns");
	is_str(tail("ab\xe4\xb8\xad", 1, &w), "", "a wide character does not fit one column");
	is_int(w, 0, "so the tail is empty");
	is_str(tail("ab\xe4\xb8\xad", 3, &w), "b\xe4\xb8\xad", "it fits three with one before it");
	is_str(tail("xe\xcc\x81z", 2, &w), "e\xcc\x81z", "a combining mark stays with its letter");
	is_str(tail("xe\xcc\x81z", 1, &w), "z", "and is not cut off from it");
	is_str(tail("ab\x80\xff" "c", 3, &w), "\x80\xff" "c", "stray bytes are a column each");
	is_str(tail("abc", 10, &w), "abc", "a short string is all tail");
	is_int(w, 3, "of its width");
	return done_testing();
}
