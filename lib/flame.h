/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_FLAME_H
#define IOR_FLAME_H

#include <stdio.h>
#include <sys/types.h>

#include "aggregate.h"

/*
 * Folded stacks ("frame;frame;frame weight", one line per stack) from an
 * aggregate, as flamegraph.pl and inferno read them. Frames follow the
 * aggregate's fields; a path may be split into a frame per directory.
 */
enum ior_flame_metric { IOR_FLAME_COUNT, IOR_FLAME_BYTES, IOR_FLAME_DURATION, IOR_FLAME_GAP };

struct ior_flame_opts {
	enum ior_flame_metric metric;
	int path_depth; /* directory levels of a path as frames of their own; -1: all */
};

/* "count", "bytes", "duration" (latency, total_ns), "gap" (durationToPrev). 0 or -EINVAL. */
int ior_flame_metric_parse(const char *name, enum ior_flame_metric *m);

int ior_flame__folded(FILE *fp, const struct ior_agg *a, const struct ior_flame_opts *o);

/* A self-contained interactive SVG (zoom, search, tooltips); lib/flame-svg.c. */
int ior_flame__svg(FILE *fp, const struct ior_agg *a, const struct ior_flame_opts *o,
		   const char *title);

/* A frame as the folded format allows it: no ';', no line breaks, UTF-8. */
void ior_flame_frame(FILE *fp, const char *s, size_t len);

/*
 * The stack of group g as the folded format writes it: its frames, each
 * by ior_flame_frame() (so never holding a ';'), joined by ';', a path
 * split into directories to depth. Written over what mem, an
 * open_memstream(), held: the text is then at its buffer, and its length
 * returned, or -1 (out of memory). Values written alike are one stack,
 * one frame: the folded output sums their lines, the SVG draws them as
 * one box.
 */
ssize_t ior_flame__stack(FILE *mem, const struct ior_agg *a, const struct ior_agg_group *g,
			 int depth);

#endif
