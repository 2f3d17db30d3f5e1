// SPDX-License-Identifier: GPL-2.0
/*
 * A self-contained, interactive SVG flame graph of an aggregate: frames
 * are the aggregate's fields (paths optionally split into directories),
 * widths the chosen metric; each frame's tooltip gives its calls, bytes,
 * latency and gap. Click a frame to zoom into it, click the background or
 * press Escape to zoom out, "Search" (or Ctrl-F) highlights a regex.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "flame.h"
#include "strtab.h"
#include "units.h"
#include "utf8.h"

#define WIDTH 1200
#define FRAME_H 16
#define PAD 10
#define TOP 40
#define MIN_PX 0.1

struct node {
	char *name;
	uint64_t m[4]; /* count, bytes, duration, gap */
	struct node **kids;
	int nkids, akids;
};

static struct node *node_new(const char *name, size_t len)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n && !(n->name = malloc(len + 1))) {
		free(n);
		return NULL;
	}
	if (n) {
		memcpy(n->name, name, len);
		n->name[len] = '\0';
	}
	return n;
}

static void node_free(struct node *n)
{
	int i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n);
}

static struct node *child(struct node *p, const char *name, size_t len)
{
	struct node *n;
	int i;

	for (i = 0; i < p->nkids; i++)
		if (strlen(p->kids[i]->name) == len && !memcmp(p->kids[i]->name, name, len))
			return p->kids[i];
	if (p->nkids == p->akids) {
		int a = p->akids ? p->akids * 2 : 4;
		struct node **k = realloc(p->kids, a * sizeof(*k));

		if (!k)
			return NULL;
		p->kids = k;
		p->akids = a;
	}
	n = node_new(name, len);
	if (n)
		p->kids[p->nkids++] = n;
	return n;
}

static void add(struct node *n, const uint64_t *m)
{
	int i;

	for (i = 0; i < 4; i++)
		n->m[i] += m[i];
}

/*
 * Below n, the frames of a stack as the folded format writes it (text,
 * len bytes, frames split by ';'), each given the metrics m: frames
 * written alike are one node, one box (a path "a;b" and one "a,b").
 */
static struct node *descend(struct node *n, const char *text, size_t len, const uint64_t *m)
{
	const char *p = text, *end = text + len;

	while (n) {
		const char *semi = memchr(p, ';', end - p);
		size_t flen = semi ? (size_t)(semi - p) : (size_t)(end - p);

		n = child(n, p, flen);
		if (n)
			add(n, m);
		if (!semi)
			break;
		p = semi + 1;
	}
	return n;
}

/* Levels below n, n included. */
static int tree_depth(const struct node *n)
{
	int i, d = 0;

	for (i = 0; i < n->nkids; i++) {
		int k = tree_depth(n->kids[i]);

		if (k > d)
			d = k;
	}
	return d + 1;
}

static int cmp_nodes(const void *a, const void *b)
{
	return strcmp((*(struct node *const *)a)->name, (*(struct node *const *)b)->name);
}

/* The length of the character at s that XML can hold, or 0 (a byte that is not UTF-8, U+FFFE, U+FFFF). */
static size_t xml_char(const char *s)
{
	uint32_t cp = 0;
	size_t n = utf8_decode((const unsigned char *)s, strnlen(s, 4), &cp);

	return cp == 0xfffe || cp == 0xffff ? 0 : n;
}

/* Characters in s, a byte XML cannot hold counted as its \xNN. */
static size_t xml_len(const char *s)
{
	size_t n, chars = 0;

	for (; *s; s += n ? n : 1)
		chars += (n = xml_char(s)) ? 1 : 4;
	return chars;
}

/*
 * The first max characters of s as XML text, UTF-8 whatever s is: markup
 * escaped, control characters as spaces, a byte that is not UTF-8 (or a
 * character XML cannot hold) as \xNN, as ior writes them elsewhere.
 */
static void xml_n(FILE *fp, const char *s, size_t max)
{
	size_t n;

	for (; *s && max; s += n) {
		n = xml_char(s);
		if (!n) {
			if (max < 4)
				break;
			fprintf(fp, "\\x%02x", (unsigned char)*s);
			n = 1;
			max -= 4;
			continue;
		}
		max--;
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default:
			if ((unsigned char)*s < 0x20)
				fputc(' ', fp);
			else
				fwrite(s, 1, n, fp);
		}
	}
}

static void xml(FILE *fp, const char *s)
{
	xml_n(fp, s, SIZE_MAX);
}

static uint32_t hue(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static void draw(FILE *fp, struct node *n, int depth, int maxdepth, double x, double total,
		 int metric, uint64_t *elided)
{
	double w = n->m[metric] / total * (WIDTH - 2 * PAD), cx = x;
	char b[32], l[32], g[32];
	const char *name = n->name; /* as the folded format writes it */
	uint32_t h = hue(n->name);
	int i;

	if (w < MIN_PX) {
		(*elided)++;
		return;
	}
	if (depth >= 0) {
		double y = TOP + (maxdepth - depth) * FRAME_H;

		fprintf(fp, "<g class=\"f\"><title>");
		xml(fp, name);
		fprintf(fp, " (%" PRIu64 " calls, %s, latency %s, gap %s, %.2f%%)</title>", n->m[0],
			format_bytes(b, sizeof(b), n->m[1]), format_duration(l, sizeof(l), n->m[2]),
			format_duration(g, sizeof(g), n->m[3]), 100.0 * n->m[metric] / total);
		fprintf(fp, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"rgb(%u,%u,%u)\" rx=\"2\"/>",
			x, (int)y, w, FRAME_H - 1, 205 + h % 50, 80 + (h >> 8) % 130, 40 + (h >> 16) % 50);
		fprintf(fp, "<text x=\"%.2f\" y=\"%d\">", x + 3, (int)y + FRAME_H - 4);
		if (w > 25) { /* as many of the name's characters as fit at ~7 px each */
			size_t fit = (size_t)((w - 6) / 7);

			if (xml_len(name) > fit) {
				xml_n(fp, name, fit > 2 ? fit - 2 : 0);
				fputs("..", fp);
			} else {
				xml(fp, name);
			}
		}
		fprintf(fp, "</text></g>\n");
	}
	if (n->nkids > 1)
		qsort(n->kids, n->nkids, sizeof(*n->kids), cmp_nodes);
	for (i = 0; i < n->nkids; i++) {
		draw(fp, n->kids[i], depth + 1, maxdepth, cx, total, metric, elided);
		cx += n->kids[i]->m[metric] / total * (WIDTH - 2 * PAD);
	}
}

static const char script[] =
"<script type=\"text/ecmascript\"><![CDATA[\n"
"var frames, zoomed = null, W = " "1180" ", P = 10;\n"
"function init() {\n"
"  frames = Array.prototype.slice.call(document.querySelectorAll('g.f'));\n"
"  frames.forEach(function (g) {\n"
"    var r = g.querySelector('rect'), t = g.querySelector('text');\n"
"    g.ox = +r.getAttribute('x'); g.ow = +r.getAttribute('width'); g.oy = +r.getAttribute('y');\n"
"    g.label = g.querySelector('title').textContent.replace(/ \\(\\d+ calls.*$/, '');\n"
"    g.onclick = function (e) { zoom(g); e.stopPropagation(); };\n"
"  });\n"
"  document.getElementById('bg').onclick = unzoom;\n"
"  document.getElementById('search').onclick = search;\n"
"  document.addEventListener('keydown', function (e) {\n"
"    if (e.key === 'Escape') unzoom();\n"
"    if ((e.ctrlKey || e.metaKey) && e.key === 'f') { e.preventDefault(); search(); }\n"
"  });\n"
"}\n"
"function place(g, x, w) {\n"
"  var r = g.querySelector('rect'), t = g.querySelector('text');\n"
"  r.setAttribute('x', x); r.setAttribute('width', w); t.setAttribute('x', x + 3);\n"
"  var fit = Math.floor((w - 6) / 7), s = Array.from(g.label);\n"
"  t.textContent = w < 25 ? '' : s.length > fit ? s.slice(0, Math.max(0, fit - 2)).join('') + '..' : s.join('');\n"
"}\n"
"function zoom(z) {\n"
"  zoomed = z;\n"
"  var scale = W / z.ow;\n"
"  frames.forEach(function (g) {\n"
"    var inside = g.ox >= z.ox - 1e-6 && g.ox + g.ow <= z.ox + z.ow + 1e-6;\n"
"    var below = g.oy > z.oy && g.ox <= z.ox + 1e-6 && g.ox + g.ow >= z.ox + z.ow - 1e-6;\n"
"    if (g.oy <= z.oy && inside) { g.style.display = ''; place(g, P + (g.ox - z.ox) * scale, g.ow * scale); }\n"
"    else if (below) { g.style.display = ''; place(g, P, W); g.style.opacity = 0.6; }\n"
"    else g.style.display = 'none';\n"
"    if (!below) g.style.opacity = '';\n"
"  });\n"
"}\n"
"function unzoom() {\n"
"  zoomed = null;\n"
"  frames.forEach(function (g) { g.style.display = ''; g.style.opacity = ''; place(g, g.ox, g.ow); });\n"
"}\n"
"function search() {\n"
"  var term = prompt('Search frames (regular expression):', '');\n"
"  var matched = 0, re;\n"
"  try { re = term ? new RegExp(term) : null; } catch (e) { alert(e); return; }\n"
"  frames.forEach(function (g) {\n"
"    var r = g.querySelector('rect');\n"
"    if (!r.orig) r.orig = r.getAttribute('fill');\n"
"    var hit = re && re.test(g.label);\n"
"    r.setAttribute('fill', hit ? 'rgb(230,0,230)' : r.orig);\n"
"    if (hit) matched++;\n"
"  });\n"
"  document.getElementById('matched').textContent = re ? matched + ' frames match ' + term : '';\n"
"}\n"
"]]></script>\n";

int ior_flame__svg(FILE *fp, const struct ior_agg *a, const struct ior_flame_opts *o,
		   const char *title)
{
	static const char *const metric_name[] = { "calls", "bytes", "latency", "gap" };
	struct node *root = node_new("all", 3);
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);
	int maxdepth = 0, height, err = -ENOMEM;
	uint64_t elided = 0;
	uint32_t i;

	if (!root || !mem)
		goto out;
	for (i = 0; i < a->nr_groups; i++) {
		const struct ior_agg_group *g = &a->groups[i];
		uint64_t m[4] = { g->count, g->bytes, g->total_ns, g->gap_ns };
		ssize_t len = ior_flame__stack(mem, a, g, o->path_depth);

		add(root, m);
		if (len < 0 || !descend(root, text, len, m))
			goto out;
	}
	maxdepth = tree_depth(root) - 1;
	height = TOP + (maxdepth + 1) * FRAME_H + 2 * PAD;
	fprintf(fp, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		    "<svg version=\"1.1\" width=\"%d\" height=\"%d\" onload=\"init()\" "
		    "xmlns=\"http://www.w3.org/2000/svg\">\n", WIDTH, height);
	fprintf(fp, "<style>text { font: 12px monospace; fill: #000; pointer-events: none; } "
		    "g.f { cursor: pointer; } g.f:hover rect { stroke: #000; stroke-width: 0.5; } "
		    "#search { cursor: pointer; pointer-events: all; }</style>\n%s", script);
	fprintf(fp, "<rect id=\"bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f8f8f0\"/>\n",
		WIDTH, height);
	fprintf(fp, "<text x=\"%d\" y=\"22\" style=\"font-size: 16px\">", PAD);
	xml(fp, title);
	fprintf(fp, " (%s)</text>\n", metric_name[o->metric]);
	fprintf(fp, "<text id=\"search\" x=\"%d\" y=\"22\">Search</text>\n", WIDTH - 70);
	fprintf(fp, "<text id=\"matched\" x=\"%d\" y=\"%d\"></text>\n", PAD, height - 4);
	if (root->m[o->metric])
		draw(fp, root, 0, maxdepth, PAD, (double)root->m[o->metric], o->metric, &elided);
	fprintf(fp, "<!-- %" PRIu64 " frames narrower than %.1f px left out -->\n</svg>\n", elided,
		MIN_PX);
	err = ferror(fp) ? -EIO : 0;
out:
	if (mem)
		fclose(mem);
	free(text);
	node_free(root);
	return err;
}
