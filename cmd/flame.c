// SPDX-License-Identifier: GPL-2.0
#include "builtin.h"

static const char *const flame_usage[] = {
	"ior flame [-i FILE]... [--fields LIST] [--count count|bytes|duration|gap] [--svg] [-o FILE] [--filter EXPR]...",
	NULL,
};

int cmd_flame(int argc, const char **argv)
{
	return cmd_not_built(argc, argv, flame_usage);
}
