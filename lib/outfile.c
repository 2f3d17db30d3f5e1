// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "usage.h"

/* The temporary file being written, removed if a signal ends ior first. */
static char *volatile pending;
static struct sigaction saved[3];
static const int stop_signals[3] = { SIGINT, SIGTERM, SIGHUP };

static void on_stop(int sig)
{
	if (pending)
		unlink(pending);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void watch(char *tmp)
{
	struct sigaction sa = { .sa_handler = on_stop };
	int i;

	pending = tmp;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(stop_signals[i], &sa, &saved[i]);
}

static void unwatch(void)
{
	int i;

	if (!pending)
		return;
	for (i = 0; i < 3; i++)
		sigaction(stop_signals[i], &saved[i], NULL);
	pending = NULL;
}

/* Written in place: what open(O_TRUNC) does, for what a rename would not keep. */
static int in_place(struct ior_outfile *o)
{
	o->fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (o->fd < 0)
		error("cannot create '%s': %s", o->path, strerror(errno));
	return o->fd;
}

int ior_outfile__open(struct ior_outfile *o, const char *path, const char *const *inputs,
		      size_t n)
{
	struct stat in, out, l;
	const char *slash = strrchr(path, '/');
	int exists;
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
	}
	exists = !lstat(path, &l);
	/* a link, a device, a FIFO, a file with other names: a rename would not write to it */
	if (exists && (!S_ISREG(l.st_mode) || l.st_nlink > 1))
		return in_place(o);
	if (asprintf(&o->tmp, "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
		     slash ? slash + 1 : path) < 0) {
		o->tmp = NULL;
		error("out of memory");
		return -1;
	}
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) { /* a directory we cannot write in, a name too long for the suffix ... */
		free(o->tmp);
		o->tmp = NULL;
		return in_place(o);
	}
	if (exists) { /* the file as it was: its mode and owner */
		if (fchmod(o->fd, l.st_mode & 07777) ||
		    ((l.st_uid != geteuid() || l.st_gid != getegid()) &&
		     fchown(o->fd, l.st_uid, l.st_gid))) {
			close(o->fd);
			unlink(o->tmp);
			free(o->tmp);
			o->tmp = NULL;
			return in_place(o);
		}
	} else { /* as open(path, O_CREAT, 0666) would make it, not mkstemp's 0600 */
		mask = umask(0);
		umask(mask);
		if (fchmod(o->fd, 0666 & ~mask))
			warning("cannot set the mode of '%s': %s", path, strerror(errno));
	}
	watch(o->tmp);
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
	unwatch();
	free(o->tmp);
	o->tmp = NULL;
	return err;
}

void ior_outfile__abort(struct ior_outfile *o)
{
	if (o->tmp)
		unlink(o->tmp);
	unwatch();
	free(o->tmp);
	o->tmp = NULL;
}

int ior_fclose(FILE *fp)
{
	int err = ferror(fp) || fflush(fp) ? (errno ? errno : EIO) : 0;

	if (fclose(fp) && !err)
		err = errno ? errno : EIO;
	return err;
}
