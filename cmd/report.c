// SPDX-License-Identifier: GPL-2.0
#include "builtin.h"

static const char *const report_usage[] = {
	"ior report [-i FILE]... [--fields LIST] [--sort KEY[,KEY]] [--limit N] [--format table|csv|json] [--filter EXPR]... [--header]",
	NULL,
};

int cmd_report(int argc, const char **argv)
{
	return cmd_not_built(argc, argv, report_usage);
}
