// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "strtab.h"
#include "tap.h"

int main(void)
{
	struct ior_strtab *t = ior_strtab__new();
	char buf[64], *big;
	uint32_t a, b, ids[20000];
	int i, same = 1;

	a = ior_strtab__intern(t, "/etc/passwd", 11);
	b = ior_strtab__intern(t, "/etc/passwd", 11);
	is_int(a, 1, "first id is 1");
	is_int(b, a, "interning twice gives the same id");
	is_int(ior_strtab__intern(t, "/etc/passw", 10), 2, "a prefix is another string");
	is_int(ior_strtab__intern(t, "", 0), 3, "the empty string is a string");
	is_str(ior_strtab__str(t, 1), "/etc/passwd", "lookup by id");
	ok(ior_strtab__str(t, 0) == NULL, "id 0 is none");
	ok(ior_strtab__str(t, 99) == NULL, "an undefined id is NULL");
	is_str(ior_strtab__name(t, 99), "<lost>", "and named <lost>");
	is_str(ior_strtab__name(t, 0), "", "id 0 is named empty");
	ok(ior_strtab__intern(t, "a\0b", 3) != ior_strtab__intern(t, "a", 1),
	   "embedded NUL bytes count");
	is_int(ior_strtab__len(t, ior_strtab__intern(t, "a\0b", 3)), 3, "length kept");
	for (i = 0; i < 20000; i++) {
		snprintf(buf, sizeof(buf), "/data/%d", i);
		ids[i] = ior_strtab__intern(t, buf, strlen(buf));
	}
	for (i = 0; i < 20000; i++) {
		snprintf(buf, sizeof(buf), "/data/%d", i);
		same &= ids[i] == ior_strtab__intern(t, buf, strlen(buf)) &&
			!strcmp(ior_strtab__str(t, ids[i]), buf);
	}
	ok(same, "20000 strings survive the table's growth");
	big = malloc(200000);
	memset(big, 'x', 200000);
	a = ior_strtab__intern(t, big, 200000);
	is_int(ior_strtab__len(t, a), 200000, "a string bigger than a chunk");
	is_str(ior_strtab__str(t, ids[5]), "/data/5", "older strings stay put");
	ior_strtab__intern(t, "/data/\xc3\xa9t\xe9", 10); /* bytes above 0x7f sort last */
	ior_strtab__intern(t, "/data/1/", 8);
	ior_strtab__intern(t, "/dat", 4);
	{
		uint32_t *rank = ior_strtab__ranks(t), n = ior_strtab__next_id(t), bad = 0, dup = 0;
		uint32_t *seen = calloc(n, sizeof(*seen));

		ok(rank != NULL, "ranks of %u ids", n);
		for (a = 0; rank && a < n; a++) {
			if (rank[a] >= n || seen[rank[a]]++)
				dup++;
			for (b = a + 1; b < n && b < a + 300; b++) {
				int c = strcmp(ior_strtab__name(t, a), ior_strtab__name(t, b));

				if (c && (c < 0) != (rank[a] < rank[b]))
					bad++;
			}
		}
		is_int(dup, 0, "ranks are a permutation");
		is_int(bad, 0, "ranks order as strcmp does");
		free(rank);
		free(seen);
	}
	{
		/* prefixes of each other, in a shuffled order: "a", "aa", ... 3000 a's */
		struct ior_strtab *p = ior_strtab__new();
		uint32_t *rank, id[3001], k, wrong = 0;
		char *s = malloc(3001);

		memset(s, 'a', 3001);
		for (k = 0; k < 3000; k++) {
			uint32_t len = 1 + (k * 1237) % 3000;

			id[len] = ior_strtab__intern(p, s, len);
		}
		rank = ior_strtab__ranks(p);
		for (k = 1; rank && k < 3000; k++)
			wrong += rank[id[k]] >= rank[id[k + 1]];
		ok(rank && !wrong, "3000 strings, each a prefix of the next, rank by length");
		free(rank);
		free(s);
		ior_strtab__delete(p);
	}
	ior_strtab__delete(t);

	t = ior_strtab__new();
	ok(!ior_strtab__set(t, 5, "five", 4), "set id 5 in an empty table");
	is_int(ior_strtab__next_id(t), 6, "next id follows");
	ok(ior_strtab__str(t, 3) == NULL, "ids skipped over are undefined");
	is_str(ior_strtab__str(t, 5), "five", "set string reads back");
	ior_strtab__delete(t);
	free(big);
	return done_testing();
}
