/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_OUTFILE_H
#define IOR_OUTFILE_H

#include <stdio.h>

/*
 * An output file made whole or not at all: written under a temporary
 * name in its directory (with the mode and owner of the file it replaces)
 * and renamed over the file at the end, so an error halfway (a damaged
 * input, a full disk, SIGINT) leaves a file already there as it was.
 * Written in place, as open(O_TRUNC) would, where a rename would not do
 * the same: a symlink, a device, a FIFO, a file with other hard links, a
 * directory ior cannot write in, an owner ior cannot give.
 */
struct ior_outfile {
	const char *path;
	char *tmp; /* NULL: written in place */
	int fd;
};

/*
 * Open path for writing; refuse it if it is one of the n files inputs
 * names (that input would be gone). The fd, or -1 with the error said.
 */
int ior_outfile__open(struct ior_outfile *o, const char *path, const char *const *inputs,
		      size_t n);
/* The file is complete: give it its name. 0, or -1 with the error said. */
int ior_outfile__commit(struct ior_outfile *o);
/* Drop what was written (the fd is the caller's to close). */
void ior_outfile__abort(struct ior_outfile *o);

/*
 * Close fp, its buffer written out: 0, or the errno of a write that failed
 * on the way (EIO if none was kept), the close's own included.
 */
int ior_fclose(FILE *fp);

#endif
