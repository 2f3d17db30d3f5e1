// SPDX-License-Identifier: GPL-2.0
/* The syscall table: consistent, and numbered as the kernel's UAPI header says. */
#include <errno.h>
#include <stdlib.h>

#include "syscalls.h"
#include "tap.h"

static int count(const uint8_t *set)
{
	int i, n = 0;

	for (i = 0; i < IOR_SYSCALL_NR_MAX; i++)
		n += set[i];
	return n;
}

int main(void)
{
	uint8_t set[IOR_SYSCALL_NR_MAX];
	const char *bad = NULL;
	unsigned i, sorted = 1, roles_ok = 1, cls_ok = 1, checked = 0, wrong = 0;
	char line[256];
	FILE *fp;

	for (i = 0; i < ior_syscalls_nr; i++) {
		const struct ior_syscall *sc = &ior_syscalls[i];

		if (i && sc->nr <= ior_syscalls[i - 1].nr)
			sorted = 0;
		if (strlen(sc->roles) > 6 || strspn(sc->roles, "fdgepqQlaPHVnRsIz-") != strlen(sc->roles))
			roles_ok = 0;
		/* with an fd, a dirfd takes the second fd's place */
		if (strchr(sc->roles, 'f') && strchr(sc->roles, 'd') && strpbrk(sc->roles, "ge"))
			roles_ok = 0;
		if (!strchr("RWXMOANDCKPTHGEUY-", sc->cls) || sc->family >= IOR_FAM__NR)
			cls_ok = 0;
		if (ior_syscall_by_name(sc->name) != sc)
			printf("# %s is not found by its name\n", sc->name), sorted = 0;
	}
	ok(sorted, "the table is sorted by number, names are unique");
	ok(roles_ok, "every role string is valid");
	ok(cls_ok, "every class and family is valid");
	ok(ior_syscalls_nr >= 380, "%u syscalls", ior_syscalls_nr);

	fp = fopen("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "r");
	ok(fp != NULL, "the kernel's UAPI header is there (linux-libc-dev)");
	while (fp && fgets(line, sizeof(line), fp)) {
		char name[64];
		unsigned nr;
		const struct ior_syscall *sc;

		if (sscanf(line, "#define __NR_%63s %u", name, &nr) != 2)
			continue;
		checked++;
		sc = ior_syscall_by_nr(nr);
		if (!sc || strcmp(sc->name, name)) {
			printf("# header: %u is %s, ours: %s\n", nr, name, sc ? sc->name : "(none)");
			wrong++;
		}
	}
	if (fp)
		fclose(fp);
	ok(checked > 300 && !wrong, "%u numbers agree with the UAPI header (%u differ)", checked, wrong);

	ok(!ior_syscall_set_parse("fs", set, &bad) && count(set) == 131, "-e fs: 131 syscalls");
	ok(set[0] && set[257] && !set[9], "fs has read and openat, not mmap");
	ok(!ior_syscall_set_parse("read,write", set, &bad) && count(set) == 2 && set[0] && set[1],
	   "-e read,write");
	ok(!ior_syscall_set_parse("fs,-*stat*", set, &bad) && !set[4] && !set[262] && !set[332] &&
	   set[257], "-e fs,-*stat* drops the stat calls");
	ok(!ior_syscall_set_parse("all", set, &bad) && count(set) == (int)ior_syscalls_nr, "-e all");
	ok(!ior_syscall_set_parse("sys_enter_openat,newfstat", set, &bad) && set[257] && set[5],
	   "tracepoint names are accepted");
	ok(ior_syscall_set_parse("fs,nosuch", set, &bad) == -EINVAL && !strcmp(bad, "nosuch"),
	   "an unknown name is an error naming it");
	ok(!ior_syscall_set_parse("-read", set, &bad) && count(set) == 130 && !set[0] && set[257],
	   "-e -read takes read from the default, fs");
	ok(!ior_syscall_set_parse("!read,mmap", set, &bad) && count(set) == 131 && !set[0] && set[9],
	   "-e !read,mmap too, then adds mmap");
	ok(ior_syscall_set_parse("all,-all", set, &bad) == -ENOENT &&
		   ior_syscall_set_parse("", set, &bad) == -ENOENT,
	   "an empty set is an error");
	is_str(ior_family_name(ior_syscall_by_name("pread64")->family), "fs", "pread64 is fs");
	is_str(ior_family_name(ior_syscall_by_name("socket")->family), "network", "socket is network");
	return done_testing();
}
