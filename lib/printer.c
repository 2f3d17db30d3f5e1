// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <csv.h>

#include "printer.h"
#include "syscalls.h"
#include "units.h"
#include "utf8.h"

int ior_print_format_parse(const char *name, enum ior_print_format *f)
{
	if (!strcasecmp(name, "text"))
		*f = IOR_PRINT_TEXT;
	else if (!strcasecmp(name, "csv"))
		*f = IOR_PRINT_CSV;
	else if (!strcasecmp(name, "json") || !strcasecmp(name, "ndjson"))
		*f = IOR_PRINT_JSON;
	else
		return -EINVAL;
	return 0;
}

void ior_json_string(FILE *fp, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	fputc('"', fp);
	while (i < len) {
		size_t n;

		if (s[i] == '"' || s[i] == '\\') {
			fputc('\\', fp);
			fputc(s[i++], fp);
			continue;
		}
		if (s[i] < 0x20) {
			fprintf(fp, "\\u%04x", s[i++]);
			continue;
		}
		n = utf8_seq(s + i, len - i);
		if (!n) {
			fprintf(fp, "\\u%04x", s[i++]); /* a byte that is not UTF-8 */
			continue;
		}
		fwrite(s + i, 1, n, fp);
		i += n;
	}
	fputc('"', fp);
}

/* The bytes of the printable character at s (of left): 0 for a control character or bad UTF-8. */
static size_t printable(const unsigned char *s, size_t left)
{
	return *s >= 0x20 && *s != 0x7f ? utf8_seq(s, left) : 0;
}

size_t ior_text_escape(char *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	char *start = out;
	size_t i = 0;

	while (i < len) {
		size_t n = printable(s + i, len - i);

		if (!n) {
			out += sprintf(out, "\\x%02x", s[i++]);
			continue;
		}
		if (s[i] == '\\') { /* so that \x41 shown is always the byte 0x41 */
			*out++ = '\\';
			*out++ = '\\';
			i++;
			continue;
		}
		memcpy(out, s + i, n);
		out += n;
		i += n;
	}
	*out = '\0';
	return out - start;
}

const char *ior_text_shown(const char *str, size_t *len, char **buf, size_t *cap)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, n;

	for (i = 0; i < *len; i += n) /* most strings need nothing: shown as they are */
		if (!(n = printable(s + i, *len - i)) || s[i] == '\\')
			break;
	if (i == *len)
		return str;
	if (4 * *len + 1 > *cap) {
		char *b = realloc(*buf, 4 * *len + 1);

		if (!b)
			return NULL;
		*buf = b;
		*cap = 4 * *len + 1;
	}
	*len = ior_text_escape(*buf, str, *len);
	return *buf;
}

/* Text output: control characters and non-UTF-8 bytes as \xNN, as strace does. */
static void text_string(struct ior_printer *p, const char *str, size_t len)
{
	const char *s = ior_text_shown(str, &len, &p->esc, &p->esc_cap);

	if (s)
		fwrite(s, 1, len, p->fp);
}

static int p_header(struct ior_sink *s, const struct ior_trace_header *h,
		    const struct ior_strtab *strings)
{
	struct ior_printer *p = (struct ior_printer *)s;
	int err = ior_evctx__init(&p->ctx, h, strings);

	if (err)
		return err;
	p->have_ctx = 1;
	if (p->format == IOR_PRINT_CSV)
		fprintf(p->fp, "%s\n", IOR_COLUMNS);
	else if (p->format == IOR_PRINT_TEXT)
		fprintf(p->fp, "%-15s %-16s %15s %-12s %5s %8s %9s %9s %9s  %s\n", "TIME", "COMM",
			"PID/TID", "SYSCALL", "FD", "RESULT", "BYTES", "LATENCY", "GAP", "PATH");
	return 0;
}

void ior_csv_field(FILE *fp, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			break;
	if (i < len || (len && (s[0] == ' ' || s[len - 1] == ' ')))
		csv_fwrite(fp, s, len);
	else
		fwrite(s, 1, len, fp);
}

static int p_event(struct ior_sink *s, const struct ior_event *e)
{
	struct ior_printer *p = (struct ior_printer *)s;
	const struct ior_evctx *x = &p->ctx;
	const char *comm = ior_evctx__str(x, e->comm), *path = ior_evctx__str(x, e->path);
	const char *path2 = ior_evctx__str(x, e->path2), *host = x->hdr->hostname;
	size_t comm_len = ior_evctx__strlen(x, e->comm), path_len = ior_evctx__strlen(x, e->path);
	size_t path2_len = ior_evctx__strlen(x, e->path2);
	int err = ior_errno(e->ret);
	int64_t wall = (int64_t)e->time + x->hdr->boot_to_wall;
	char ts[48];
	FILE *fp = p->fp;

	p->events++;
	if (!host)
		host = "";
	switch (p->format) {
	case IOR_PRINT_TEXT: {
		char result[24], bytes[24], lat[32], gap[32], pidtid[24], comm_text[4 * 64 + 1];
		int transfer;
		int32_t ns;
		time_t sec = ior_wall_sec(wall, &ns);
		struct tm tm;

		localtime_r(&sec, &tm);
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		if (err)
			snprintf(result, sizeof(result), "%s", ior_errno_name(err));
		else
			snprintf(result, sizeof(result), "%" PRId64, e->ret);
		snprintf(bytes, sizeof(bytes), "%" PRIu64, e->bytes);
		snprintf(pidtid, sizeof(pidtid), "%d/%d", e->pid, e->tid);
		fprintf(fp, "%s.%06d ", ts, (int)ns / 1000);
		ior_text_escape(comm_text, comm, comm_len < 64 ? comm_len : 64);
		fprintf(fp, "%-16s %15s %-12s %5d %8s %9s %9s %9s  ", comm_text, pidtid,
			ior_evctx__syscall(x, e->nr), e->fd, result, bytes,
			format_duration(lat, sizeof(lat), e->duration),
			format_duration(gap, sizeof(gap), e->gap));
		/* the way the name or the bytes go: a rename's old name first, a transfer's file */
		transfer = e->path2 && ior_syscall_is_transfer(ior_evctx__syscall(x, e->nr));
		if (e->path2 && !transfer) {
			text_string(p, path2, path2_len);
			fputs(" -> ", fp);
		}
		text_string(p, path, path_len);
		if (transfer) {
			fputs(" -> ", fp);
			text_string(p, path2, path2_len);
		}
		if (e->restarts)
			fprintf(fp, " (restarted %u)", e->restarts);
		fputc('\n', fp);
		break;
	}
	case IOR_PRINT_CSV:
		fprintf(fp, "%" PRIu64 ",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",", e->seq,
			ior_format_wall(ts, sizeof(ts), wall), e->time, e->duration, e->gap);
		ior_csv_field(fp, host, strlen(host));
		fputc(',', fp);
		ior_csv_field(fp, comm, comm_len);
		fprintf(fp, ",%d,%d,%s,%s,%d,%" PRId64 ",%s,%" PRIu64 ",", e->pid, e->tid,
			ior_evctx__syscall(x, e->nr), ior_evctx__family(x, e->nr), e->fd, e->ret,
			ior_errno_name(err), e->bytes);
		ior_csv_field(fp, path, path_len);
		fputc(',', fp);
		ior_csv_field(fp, path2, path2_len);
		fprintf(fp, ",%" PRIu64 ",%s,%u\n", e->flags, err ? "true" : "false", e->restarts);
		break;
	case IOR_PRINT_JSON:
		fprintf(fp, "{\"seq\":%" PRIu64 ",\"timestamp\":\"%s\",\"time_ns\":%" PRIu64
			    ",\"latency_ns\":%" PRIu64 ",\"gap_ns\":%" PRIu64 ",\"host\":",
			e->seq, ior_format_wall(ts, sizeof(ts), wall), e->time, e->duration, e->gap);
		ior_json_string(fp, host, strlen(host));
		fputs(",\"comm\":", fp);
		ior_json_string(fp, comm, comm_len);
		fprintf(fp, ",\"pid\":%d,\"tid\":%d,\"syscall\":\"%s\",\"family\":\"%s\",\"fd\":%d,"
			    "\"ret\":%" PRId64 ",\"errno\":",
			e->pid, e->tid, ior_evctx__syscall(x, e->nr), ior_evctx__family(x, e->nr),
			e->fd, e->ret);
		if (err)
			fprintf(fp, "\"%s\"", ior_errno_name(err));
		else
			fputs("null", fp);
		fprintf(fp, ",\"bytes\":%" PRIu64 ",\"file\":", e->bytes);
		ior_json_string(fp, path, path_len);
		fputs(",\"old_file\":", fp);
		ior_json_string(fp, path2, path2_len);
		fprintf(fp, ",\"flags\":%" PRIu64 ",\"is_error\":%s,\"restarts\":%u}\n", e->flags,
			err ? "true" : "false", e->restarts);
		break;
	}
	if (ferror(fp))
		return -(p->err = errno ? errno : EIO);
	return 0;
}

/* A kind of loss as JSON names it; one of a later ior, not known here: "unknown". */
static const char *lost_kind(uint32_t kind)
{
	return kind == IOR_LOST_RINGBUF ? "ringbuf"
	       : kind == IOR_LOST_ENTER ? "noexit"
	       : kind == IOR_LOST_STATE ? "nostate"
					: "unknown";
}

static int p_lost(struct ior_sink *s, const struct ior_lost *l)
{
	struct ior_printer *p = (struct ior_printer *)s;
	char why[48], cpu[32] = "";

	if (!ior_lost_events(l->kind))
		return 0;
	p->lost += l->count;
	if (p->format == IOR_PRINT_TEXT) {
		if (l->cpu != IOR_LOST_CPU_UNKNOWN)
			snprintf(cpu, sizeof(cpu), " on CPU %u", l->cpu);
		snprintf(why, sizeof(why), "%s",
			 l->kind == IOR_LOST_RINGBUF ? "ring buffer full"
			 : l->kind == IOR_LOST_ENTER ? "calls not seen to end"
			 : l->kind == IOR_LOST_STATE ? "no kernel memory for thread state"
						     : "");
		if (!*why)
			snprintf(why, sizeof(why), "a loss of kind %u", l->kind);
		fprintf(p->fp, "# LOST %" PRIu64 " events (%s%s)\n", l->count, why, cpu);
	} else if (p->format == IOR_PRINT_JSON) {
		fprintf(p->fp, "{\"lost\":%" PRIu64 ",\"kind\":\"%s\",\"cpu\":", l->count,
			lost_kind(l->kind));
		if (l->cpu != IOR_LOST_CPU_UNKNOWN)
			fprintf(p->fp, "%u", l->cpu);
		else
			fputs("null", p->fp);
		fprintf(p->fp, ",\"time_ns\":%" PRIu64 "}\n", l->time);
	}
	return 0;
}

void ior_printer__init(struct ior_printer *p, FILE *fp, enum ior_print_format format)
{
	memset(p, 0, sizeof(*p));
	p->sink.header = p_header;
	p->sink.event = p_event;
	p->sink.lost = p_lost;
	p->fp = fp;
	p->format = format;
}

void ior_printer__exit(struct ior_printer *p)
{
	if (p->have_ctx)
		ior_evctx__exit(&p->ctx);
	p->have_ctx = 0;
	free(p->esc);
	p->esc = NULL;
	p->esc_cap = 0;
}
