// SPDX-License-Identifier: GPL-2.0
#include "builtin.h"

static const char *const record_usage[] = {
	"ior record [-o FILE] [-d DURATION] [-p PID[,PID...]] [-t TID] [--comm NAME] [--cgroup PATH] [-e LIST] [--min-latency DURATION] [--buffer-size SIZE] [-q] [-v] [-- COMMAND [ARG...]]",
	NULL,
};

int cmd_record(int argc, const char **argv)
{
	return cmd_not_built(argc, argv, record_usage);
}
