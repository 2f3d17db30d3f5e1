// SPDX-License-Identifier: GPL-2.0
#include "path.h"
#include "tap.h"

static void check(const char *in, const char *want)
{
	char buf[256];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", in);
	n = ior_path_normalize(buf);
	is_str(buf, want, "%s -> %s", in, want);
	is_int(n, strlen(want), "and its length");
}

int main(void)
{
	check("/", "/");
	check("/etc/passwd", "/etc/passwd");
	check("//etc///passwd/", "/etc/passwd");
	check("/etc/./passwd", "/etc/passwd");
	check("/home/u/./.", "/home/u");
	check("/usr/src/g/../h", "/usr/src/h");
	check("/usr/src/googletest/googlemock/../googletest/../../../share/doc",
	      "/usr/share/doc");
	check("/a/..", "/");
	check("/..", "/");
	check("/../../x", "/x");
	check("/a/b/../../..", "/");
	check("/a/..b/.c/...", "/a/..b/.c/...");
	check("/tmp/x y/,\"q\"/../z", "/tmp/x y/z");
	return done_testing();
}
