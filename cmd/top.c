// SPDX-License-Identifier: GPL-2.0
#include "builtin.h"

static const char *const top_usage[] = {
	"ior top [-i FILE] [<capture options>] [--fields LIST] [--count METRIC]",
	NULL,
};

int cmd_top(int argc, const char **argv)
{
	return cmd_not_built(argc, argv, top_usage);
}
