// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usage.h"

const char *ior_progname = "ior";
int ior_verbose;

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char buf[4096];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "%s: %s%s\n", ior_progname, prefix, buf);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	exit(1);
}

const char *ior_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}

int close_stdout(void)
{
	int failed = ferror(stdout);

	if (fflush(stdout) || failed) {
		int err = errno ? errno : EIO;

		fclose(stdout);
		if (err == EPIPE) /* the reader left (| head): not ours to report */
			return -EPIPE;
		error("cannot write to standard output: %s", strerror(err));
		return -EIO;
	}
	if (fclose(stdout) && errno != EBADF) {
		error("cannot close standard output: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

char *ior_find_command(const char *name)
{
	const char *p = getenv("PATH");
	char *file;
	struct stat st;

	if (strchr(name, '/'))
		return strdup(name);
	for (p = p ? p : "/bin:/usr/bin"; ; p++) { /* glibc's default; an empty entry: . */
		size_t dir = strcspn(p, ":");

		if (asprintf(&file, "%.*s%s%s", (int)dir, p, dir ? "/" : "", name) < 0)
			return NULL;
		if (!access(file, X_OK) && !stat(file, &st) && S_ISREG(st.st_mode))
			return file;
		free(file);
		p += dir;
		if (!*p)
			return NULL;
	}
}
