// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "tap.h"
#include "varint.h"

int main(void)
{
	static const uint64_t vals[] = { 0, 1, 127, 128, 300, 16383, 16384, UINT32_MAX,
					 (1ULL << 56) - 1, 1ULL << 63, UINT64_MAX };
	static const int64_t svals[] = { 0, -1, 1, -2, 63, -64, 64, INT32_MIN, INT64_MIN, INT64_MAX };
	uint8_t buf[VARINT_MAX + 1];
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		const uint8_t *p = buf;
		uint64_t v = 0;
		size_t n = varint_put(buf, vals[i]);

		ok(!varint_get(&p, buf + n, &v) && v == vals[i] && p == buf + n,
		   "varint %llu round-trips in %zu bytes", (unsigned long long)vals[i], n);
		p = buf;
		ok(n == 1 || varint_get(&p, buf + n - 1, &v), "varint %llu cut short is an error",
		   (unsigned long long)vals[i]);
	}
	is_int(varint_put(buf, 127), 1, "127 takes one byte");
	is_int(varint_put(buf, 128), 2, "128 takes two");
	is_int(varint_put(buf, UINT64_MAX), 10, "2^64-1 takes ten");
	{
		/* eleven continuation bytes, and a tenth byte > 1: both overlong */
		uint8_t bad[11] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
		const uint8_t *p = bad;
		uint64_t v;

		ok(varint_get(&p, bad + 11, &v), "an overlong varint is an error");
		bad[9] = 0x02;
		p = bad;
		ok(varint_get(&p, bad + 10, &v), "a varint over 64 bits is an error");
	}
	{
		/*
		 * The padded decoder agrees with the plain one on every length,
		 * with any bytes after the varint, and when end cuts it short.
		 */
		uint8_t pad[VARINT_MAX + VARINT_SLACK];
		uint64_t rng = 88172645463325252ull;
		int bad = 0, k;

		for (k = 0; k < 200000; k++) {
			const uint8_t *p1 = pad, *p2 = pad;
			uint64_t v1 = 0, v2 = 0, x;
			size_t n, cut;
			int r1, r2;

			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			x = rng >> (rng & 63); /* all lengths */
			memset(pad, (int)(rng >> 8), sizeof(pad));
			n = varint_put(pad, x);
			cut = k & 1 ? n : (rng >> 16) % (n + 1);
			r1 = varint_get(&p1, pad + cut, &v1);
			r2 = varint_get_padded(&p2, pad + cut, &v2);
			if (r1 != r2 || (!r1 && (v1 != v2 || p1 != p2 || v1 != x)))
				bad++;
		}
		is_int(bad, 0, "the padded decoder agrees with the plain one");
	}
	for (i = 0; i < sizeof(svals) / sizeof(svals[0]); i++)
		ok(zigzag_dec(zigzag_enc(svals[i])) == svals[i], "zigzag %lld round-trips",
		   (long long)svals[i]);
	is_int(zigzag_enc(-1), 1, "zigzag -1 is 1");
	is_int(zigzag_enc(1), 2, "zigzag 1 is 2");
	return done_testing();
}
