/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_UNITS_H
#define IOR_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC 1000000000ULL

/*
 * "500ms", "10s", "2m", "1.5h", "100us", "250ns"; a bare number is taken in
 * default_unit nanoseconds. Returns 0 or -EINVAL (also on overflow).
 */
int parse_duration(const char *s, uint64_t default_unit, uint64_t *ns);

/* "4096", "64K", "16M", "1GiB", "2kb": powers of 1024. 0 or -EINVAL. */
int parse_size(const char *s, uint64_t *bytes);

/*
 * Human forms: "850 ns", "12.3 us", "1.20 ms", "3.40 s"; "512 B", "3.4 MiB"
 * (up to EiB). What would show 1000 of its unit (1024 of a binary one) is
 * 1 of the next: 999,950 ns is "1.00 ms", 1,048,575 B "1.0 MiB". At most
 * 9 characters, 10 for bytes of 1000 to 1023.9 of a unit; seconds can go
 * past 9999.99.
 */
const char *format_duration(char *buf, size_t len, uint64_t ns);
const char *format_bytes(char *buf, size_t len, uint64_t bytes);

/* v in decimal at p (up to 20 bytes, no NUL); returns the end. */
char *format_u64(char *p, uint64_t v);

#endif
