// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse-options.h"
#include "units.h"
#include "usage.h"

void string_list_append(struct string_list *list, const char *s)
{
	if (list->nr == list->alloc) {
		int alloc = list->alloc ? list->alloc * 2 : 8;
		const char **items = realloc(list->items, alloc * sizeof(*items));

		if (!items)
			die("out of memory");
		list->items = items;
		list->alloc = alloc;
	}
	list->items[list->nr++] = s;
}

void string_list_clear(struct string_list *list)
{
	free(list->items);
	list->items = NULL;
	list->nr = list->alloc = 0;
}

static int takes_arg(const struct option *o)
{
	return o->type != OPTION_BOOL && o->type != OPTION_COUNT &&
	       !(o->type == OPTION_CALLBACK && !o->argh);
}

/* o's value from arg; name is the option as typed ("-p", "--pid", "-pid"), for errors */
static int get_value(const struct option *o, const char *name, const char *arg, int unset)
{
	uint64_t u;
	char *end;
	long l;

	if (o->given && !o->given[0])
		snprintf(o->given, PARSE_OPT_NAME_MAX, "%s", name);
	switch (o->type) {
	case OPTION_BOOL:
		*(int *)o->value = !unset;
		return 0;
	case OPTION_COUNT:
		*(int *)o->value = unset ? 0 : *(int *)o->value + 1;
		return 0;
	case OPTION_STRING:
		*(const char **)o->value = unset ? NULL : arg;
		return 0;
	case OPTION_STRING_LIST:
		if (unset)
			string_list_clear(o->value);
		else
			string_list_append(o->value, arg);
		return 0;
	case OPTION_INTEGER:
		errno = 0;
		l = strtol(arg, &end, 10);
		if (!*arg || *end || errno)
			break;
		*(long *)o->value = l;
		return 0;
	case OPTION_DURATION:
		if (parse_duration(arg, o->defval ? (uint64_t)o->defval : NSEC_PER_SEC, &u))
			break;
		*(uint64_t *)o->value = u;
		return 0;
	case OPTION_SIZE:
		if (parse_size(arg, &u))
			break;
		*(uint64_t *)o->value = u;
		return 0;
	case OPTION_CALLBACK:
		return o->callback(o, name, arg, unset) ? PARSE_OPT_ERROR : 0;
	default:
		return PARSE_OPT_ERROR;
	}
	error("option '%s' expects %s, not '%s'", name,
	      o->type == OPTION_INTEGER ? "a whole number"
	      : o->type == OPTION_DURATION ? "a duration such as 500ms, 10s or 2m"
					   : "a size such as 4096, 64K or 16M",
	      arg);
	return PARSE_OPT_ERROR;
}

static const struct option *find_long(const struct option *opts, const char *name, size_t len,
				      int *unset)
{
	const struct option *o;

	*unset = 0;
	for (o = opts; o->type != OPTION_END; o++)
		if (o->long_name && strlen(o->long_name) == len && !strncmp(o->long_name, name, len))
			return o;
	/* --no-NAME turns a switch off, or empties a list; a value has no "none" */
	if (len > 3 && !strncmp(name, "no-", 3)) {
		for (o = opts; o->type != OPTION_END; o++)
			if (o->long_name && strlen(o->long_name) == len - 3 &&
			    !strncmp(o->long_name, name + 3, len - 3) && !(o->flags & PARSE_OPT_NONEG) &&
			    (!takes_arg(o) || o->type == OPTION_STRING_LIST)) {
				*unset = 1;
				return o;
			}
	}
	return NULL;
}

/* arg is argv[*i], "--NAME[=VALUE]" or the original's "-NAME[=VALUE]" */
static int parse_long(const struct option *opts, const char *arg, int *i, int argc,
		      const char **argv)
{
	const char *eq = strchr(arg, '='), *nm = arg + 1 + (arg[1] == '-');
	size_t len = eq ? (size_t)(eq - nm) : strlen(nm);
	const struct option *o;
	char name[64];
	int unset;

	/* the option as typed, for its errors: --pid, -pid, --no-comm */
	snprintf(name, sizeof(name), "%.*s", (int)(nm - arg + len), arg);
	o = find_long(opts, nm, len, &unset);
	if (!o) {
		error("unknown option '%.*s'", (int)(nm - arg + len), arg);
		return PARSE_OPT_ERROR;
	}
	if (!takes_arg(o) || unset) {
		if (eq) {
			error("option '%s' takes no value", name);
			return PARSE_OPT_ERROR;
		}
		return get_value(o, name, NULL, unset);
	}
	if (eq)
		return get_value(o, name, eq + 1, 0);
	if (*i + 1 >= argc) {
		error("option '%s' requires a value", name);
		return PARSE_OPT_ERROR;
	}
	return get_value(o, name, argv[++*i], 0);
}

static int parse_short(const struct option *opts, const char *arg, int *i, int argc,
		       const char **argv)
{
	for (; *arg; arg++) {
		const struct option *o;
		char name[3] = { '-', *arg };

		if (*arg == 'h')
			return PARSE_OPT_HELP;
		for (o = opts; o->type != OPTION_END; o++)
			if (o->short_name == *arg)
				break;
		if (o->type == OPTION_END) {
			error("unknown switch '%c'", *arg);
			return PARSE_OPT_ERROR;
		}
		if (!takes_arg(o)) {
			if (get_value(o, name, NULL, 0))
				return PARSE_OPT_ERROR;
			continue;
		}
		if (arg[1])
			return get_value(o, name, arg + 1, 0);
		if (*i + 1 >= argc) {
			error("option '%s' requires a value", name);
			return PARSE_OPT_ERROR;
		}
		return get_value(o, name, argv[++*i], 0);
	}
	return 0;
}

int parse_options(int argc, const char **argv, const struct option *opts, int flags)
{
	int i, out = 0, ret;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int unset;

		if (arg[0] != '-' || !arg[1]) {
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION)
				break;
			argv[out++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			if ((flags & PARSE_OPT_STOP_AT_NON_OPTION) && i + 1 == argc) {
				error("'--' must be followed by a command");
				return PARSE_OPT_ERROR;
			}
			if (flags & PARSE_OPT_KEEP_DASHDASH)
				argv[out++] = arg;
			i++;
			break;
		}
		if (!strcmp(arg, "--help") || !strcmp(arg, "-help"))
			return PARSE_OPT_MANUAL;
		if (arg[1] == '-')
			ret = parse_long(opts, arg, &i, argc, argv);
		else if (arg[2] && find_long(opts, arg + 1, strcspn(arg + 1, "="), &unset))
			ret = parse_long(opts, arg, &i, argc, argv); /* -fields, the original's */
		else
			ret = parse_short(opts, arg + 1, &i, argc, argv);
		if (ret)
			return ret;
	}
	while (i < argc)
		argv[out++] = argv[i++];
	argv[out] = NULL;
	return out;
}

void usage_with_options(FILE *fp, const char *const *usagestr, const struct option *opts)
{
	const struct option *o;
	int first = 1;

	for (; *usagestr; usagestr++) {
		if (!**usagestr) { /* an empty line ends the synopsis: prose follows */
			for (usagestr++; *usagestr; usagestr++)
				fprintf(fp, "%s%s\n", **usagestr ? "    " : "", *usagestr);
			break;
		}
		fprintf(fp, "%s%s\n", first ? "usage: " : "   or: ", *usagestr);
		first = 0;
	}
	if (opts->type != OPTION_END)
		fputc('\n', fp);
	for (o = opts; o->type != OPTION_END; o++) {
		char left[80];
		int n = 0;

		if (o->type == OPTION_GROUP) {
			fprintf(fp, "\n%s\n", o->help);
			continue;
		}
		if (o->flags & PARSE_OPT_HIDDEN)
			continue;
		n += snprintf(left + n, sizeof(left) - n, "    ");
		if (o->short_name)
			n += snprintf(left + n, sizeof(left) - n, "-%c%s", o->short_name,
				      o->long_name ? ", " : "");
		if (o->long_name)
			n += snprintf(left + n, sizeof(left) - n, "--%s", o->long_name);
		if (takes_arg(o) && o->argh)
			n += snprintf(left + n, sizeof(left) - n, " %s", o->argh);
		if (n < 30)
			fprintf(fp, "%-30s%s\n", left, o->help);
		else
			fprintf(fp, "%s\n%30s%s\n", left, "", o->help);
	}
}
