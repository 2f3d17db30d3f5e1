// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "usage.h"

int ior_outfile__open(struct ior_outfile *o, const char *path, const char *const *inputs,
		      size_t n)
{
	struct stat in, out;
	const char *slash = strrchr(path, '/');
	mode_t mask;
	size_t i;

	o->path = path;
	o->tmp = NULL;
	o->fd = -1;
	if (!stat(path, &out)) {
		for (i = 0; i < n; i++) {
			if (strcmp(inputs[i], "-") && !stat(inputs[i], &in) &&
			    in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
				error("'%s' is the input: give -o another file", path);
				return -1;
			}
		}
		if (!S_ISREG(out.st_mode)) {
			o->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
			if (o->fd < 0)
				error("cannot create '%s': %s", path, strerror(errno));
			return o->fd;
		}
	}
	if (asprintf(&o->tmp, "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
		     slash ? slash + 1 : path) < 0) {
		o->tmp = NULL;
		error("out of memory");
		return -1;
	}
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		error("cannot create '%s': %s", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	/* as open(path, O_CREAT, 0666) would make it, not mkstemp's 0600 */
	mask = umask(0);
	umask(mask);
	if (fchmod(o->fd, 0666 & ~mask))
		warning("cannot set the mode of '%s': %s", path, strerror(errno));
	return o->fd;
}

int ior_outfile__commit(struct ior_outfile *o)
{
	int err = 0;

	if (o->tmp && rename(o->tmp, o->path)) {
		error("cannot create '%s': %s", o->path, strerror(errno));
		unlink(o->tmp);
		err = -1;
	}
	free(o->tmp);
	o->tmp = NULL;
	return err;
}

void ior_outfile__abort(struct ior_outfile *o)
{
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
}
