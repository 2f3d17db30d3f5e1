/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_PARQUET_H
#define IOR_PARQUET_H

#include <stdint.h>

#include "evctx.h"

/*
 * Events as an Apache Parquet file, with the columns of IOR_COLUMNS
 * (lib/printer.h). A sink; memory is bounded by one row group.
 */
#define IOR_PARQUET_ROWS (128 * 1024)

struct ior_parquet;

/* Write to fd (not seeking: a pipe is fine). rows_per_group 0: the default. */
struct ior_parquet *ior_parquet__new(int fd, const char *name, uint32_t rows_per_group);
struct ior_sink *ior_parquet__sink(struct ior_parquet *w);
/* Flush the last row group and write the footer. 0 or a negative errno (printed). */
int ior_parquet__close(struct ior_parquet *w);
void ior_parquet__delete(struct ior_parquet *w);

#endif
