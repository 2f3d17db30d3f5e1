// SPDX-License-Identifier: GPL-2.0
#include "builtin.h"

static const char *const convert_usage[] = {
	"ior convert [-i FILE] --to parquet|csv|ndjson [-o FILE]",
	NULL,
};

int cmd_convert(int argc, const char **argv)
{
	return cmd_not_built(argc, argv, convert_usage);
}
