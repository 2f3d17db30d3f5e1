/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_USAGE_H
#define IOR_USAGE_H

#include <stdarg.h>
#include <stdio.h>

/*
 * Messages to stderr, one line each, prefixed with the program name:
 * "ior: error: cannot open trace 'x.ior.zst': No such file or directory".
 * Library code reports with error()/warning() and returns a negative errno;
 * only cmd/ decides to exit (die()).
 */
extern const char *ior_progname;
extern int ior_verbose;

__attribute__((format(printf, 1, 2))) int error(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void warning(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void info(const char *fmt, ...);
__attribute__((format(printf, 1, 2), noreturn)) void die(const char *fmt, ...);

/* Error return values of library calls: negative errno. */
const char *ior_strerror(int err);

/*
 * The file execvp would run for name (malloc'd), looked up in PATH as it
 * does; NULL when nothing is found.
 */
char *ior_find_command(const char *name);

/* Flush and close stdout, reporting a write error (e.g. a full disk). */
int close_stdout(void);

#endif
