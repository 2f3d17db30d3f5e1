// SPDX-License-Identifier: GPL-2.0
#include "builtin.h"

static const char *const stream_usage[] = {
	"ior stream [-i FILE] [<capture options>] [--format text|csv|json] [--filter EXPR]...",
	NULL,
};

int cmd_stream(int argc, const char **argv)
{
	return cmd_not_built(argc, argv, stream_usage);
}
