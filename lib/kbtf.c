// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's BTF, as much of it as ior's BPF object needs.
 *
 * Loading the object, libbpf 1.1 (Debian 12's) reads all of the kernel's
 * BTF (5.3 MiB, 127k types on this machine) for two things: to relocate
 * the programs' reads of kernel structs (CO-RE: 7 types), and to find the
 * typedefs of the tracepoints they attach to. It copies the file, indexes
 * every type, then scans them all once per struct the programs read: 11
 * to 18 ms of the 40 ms `ior record -- true` took here.
 *
 * ior is linked with --wrap for btf__load_vmlinux_btf and
 * btf__find_by_name_kind, so libbpf's calls come here. Armed for a load,
 * the kernel's file is mapped (kernels since 6.16 allow it; before, it is
 * read) and walked once; the types the object's CO-RE relocations name
 * are copied, with every type they embed, into a small BTF that libbpf
 * gets instead, and
 * the ids of the tracepoints' typedefs are kept for libbpf's lookups of
 * them. A pointer is copied as `void *`: libbpf's field relocations look
 * no further than that it is a pointer, and stopping there keeps the copy
 * to the structs' own layout.
 *
 * What this cannot answer makes it step aside, and libbpf reads all of
 * the BTF as it would have: a relocation of another kind (type-based ones
 * compare pointed-to types), a program that is not a tp_btf one, a ksym or
 * struct_ops (other lookups), a type or typedef not in the kernel's BTF
 * (libbpf would look for it in the modules', which are split from all of
 * the kernel's), a BTF it does not know. IOR_KERNEL_BTF=full makes libbpf
 * read all of it always, to compare; =read reads the file as kernels
 * before 6.16 make ior do, without mapping it. (libbpf's log, with -vv,
 * then gives the short BTF's type ids as the kernel's.)
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kbtf.h"
#include "usage.h"

#define MAX_ROOTS 32
#define MAX_ATTACH 32
#define MAX_OPTIONAL 4
#define MAX_CANDS 4
#define MAX_DEPTH 64 /* of embedded types, of modifiers */
#define TRACE_PREFIX "btf_trace_"

/* a type a CO-RE relocation starts from, and where it is in the kernel */
struct root {
	const char *name; /* the object's (flavour suffix ___x ignored) */
	size_t len;
	unsigned kind;
	int nr_cands;
	uint32_t cands[MAX_CANDS];
};

/* a tracepoint a tp_btf program attaches to, and its typedef's id */
struct attach {
	const char *name;
	int id;
	int optional; /* its program may be left out: not finding it is no failure */
};

static struct {
	int armed;
	struct root roots[MAX_ROOTS];
	int nr_roots;
	struct attach attach[MAX_ATTACH];
	int nr_attach;
	struct btf *btf; /* the short BTF libbpf was given, while it has it */
	struct bpf_program *optional[MAX_OPTIONAL]; /* left out together if one cannot attach */
	int nr_optional;
} kbtf;

/* the kernel's BTF as mapped, and an index of its types */
struct kernel {
	const char *types;
	uint32_t types_len;
	const char *strs;
	uint32_t strs_len;
	uint32_t *offs; /* by type id; 0 is void */
	uint32_t nr;
	int *copied; /* by type id: the id in the short BTF */
	int void_ptr;
	struct btf *out;
};

/* libbpf's bpf_core_essential_name_len: a name without its ___flavour */
static size_t essential_len(const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = (int)n - 5; i >= 0; i--)
		if (name[i] != '_' && !strncmp(name + i + 1, "___", 3) && name[i + 4] != '_')
			return i + 1;
	return n;
}

/* libbpf's btf_kind_core_compat */
static int kinds_compat(unsigned a, unsigned b)
{
	int ea = a == BTF_KIND_ENUM || a == BTF_KIND_ENUM64;
	int eb = b == BTF_KIND_ENUM || b == BTF_KIND_ENUM64;

	return a == b || (ea && eb);
}

/* --- what the object needs ---------------------------------------------- */

/* The header of .BTF.ext, as the object's compiler writes it. */
struct btf_ext_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_info_off, func_info_len;
	uint32_t line_info_off, line_info_len;
	uint32_t core_relo_off, core_relo_len;
};

enum { /* enum bpf_core_relo_kind */
	RELO_FIELD_LAST = 5,
	RELO_TYPE_ID_LOCAL = 6,
	RELO_ENUMVAL_EXISTS = 10,
	RELO_ENUMVAL_VALUE = 11,
};

static const void *elf_section(const void *elf, size_t elf_sz, const char *name, size_t *size)
{
	const void *found = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *e;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return NULL;
	e = elf_memory((char *)elf, elf_sz);
	if (!e)
		return NULL;
	if (!elf_getshdrstrndx(e, &shstrndx)) {
		while (!found && (scn = elf_nextscn(e, scn))) {
			const char *sname;
			Elf_Data *d;
			GElf_Shdr sh;

			if (!gelf_getshdr(scn, &sh) || !(sname = elf_strptr(e, shstrndx, sh.sh_name)) ||
			    strcmp(sname, name) || !(d = elf_getdata(scn, NULL)) || !d->d_buf)
				continue;
			found = d->d_buf;
			*size = d->d_size;
		}
	}
	elf_end(e);
	return found;
}

static int add_root(const struct btf *local, uint32_t type_id)
{
	const struct btf_type *t = btf__type_by_id(local, type_id);
	const char *name = t ? btf__name_by_offset(local, t->name_off) : NULL;
	unsigned kind = t ? btf_kind(t) : 0;
	int i;

	if (!name || !*name ||
	    (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION && kind != BTF_KIND_ENUM &&
	     kind != BTF_KIND_ENUM64 && kind != BTF_KIND_TYPEDEF))
		return -1;
	for (i = 0; i < kbtf.nr_roots; i++)
		if (kbtf.roots[i].name == name && kbtf.roots[i].kind == kind)
			return 0;
	if (kbtf.nr_roots == MAX_ROOTS)
		return -1;
	kbtf.roots[kbtf.nr_roots++] =
		(struct root){ .name = name, .len = essential_len(name), .kind = kind };
	return 0;
}

/* The local types the object's CO-RE relocations start from. */
static int find_roots(const struct btf *local, const void *elf, size_t elf_sz)
{
	size_t size = 0, end;
	const struct btf_ext_hdr *h = elf_section(elf, elf_sz, ".BTF.ext", &size);
	const char *p;
	uint32_t rec_size;

	if (!h)
		return 0; /* no .BTF.ext: no relocations */
	if (size < offsetof(struct btf_ext_hdr, core_relo_off) || h->magic != BTF_MAGIC)
		return -1;
	if (h->hdr_len < sizeof(*h))
		return 0; /* a header without them */
	if (size < sizeof(*h))
		return -1;
	if (!h->core_relo_len)
		return 0;
	if ((uint64_t)h->hdr_len + h->core_relo_off + h->core_relo_len > size || h->core_relo_len < 4)
		return -1;
	p = (const char *)h + h->hdr_len + h->core_relo_off;
	end = h->core_relo_len;
	memcpy(&rec_size, p, 4);
	if (rec_size < 16)
		return -1;
	for (size_t off = 4; off < end;) {
		uint32_t sec[2], i; /* section name, number of records */

		if (end - off < sizeof(sec))
			return -1;
		memcpy(sec, p + off, sizeof(sec));
		off += sizeof(sec);
		if ((uint64_t)sec[1] * rec_size > end - off)
			return -1;
		for (i = 0; i < sec[1]; i++, off += rec_size) {
			uint32_t relo[4]; /* insn_off, type_id, access_str_off, kind */

			memcpy(relo, p + off, sizeof(relo));
			if (relo[3] == RELO_TYPE_ID_LOCAL)
				continue;
			if (relo[3] > RELO_FIELD_LAST && relo[3] != RELO_ENUMVAL_EXISTS &&
			    relo[3] != RELO_ENUMVAL_VALUE)
				return -1; /* type-based: pointed-to types are compared */
			if (add_root(local, relo[1]))
				return -1;
		}
	}
	return 0;
}

int ior_kbtf_arm(struct bpf_object *obj, const void *elf, size_t elf_sz)
{
	const char *env = getenv("IOR_KERNEL_BTF");
	const struct btf *local = bpf_object__btf(obj);
	struct bpf_program *prog;
	struct bpf_map *map;

	ior_kbtf_disarm();
	if ((env && !strcmp(env, "full")) || !local)
		return 0;
	/* ksyms and struct_ops look up other kernel types by name */
	if (btf__find_by_name_kind(local, ".ksyms", BTF_KIND_DATASEC) > 0)
		return 0;
	bpf_object__for_each_map(map, obj)
		if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			return 0;
	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);
		enum bpf_prog_type type = bpf_program__type(prog);

		if (!bpf_program__autoload(prog))
			continue;
		if (type == BPF_PROG_TYPE_TRACING && !strncmp(sec, "tp_btf/", 7) && sec[7]) {
			if (kbtf.nr_attach == MAX_ATTACH)
				goto out;
			kbtf.attach[kbtf.nr_attach++] = (struct attach){ .name = sec + 7 };
		} else if (type == BPF_PROG_TYPE_TRACING || type == BPF_PROG_TYPE_LSM ||
			   type == BPF_PROG_TYPE_EXT || type == BPF_PROG_TYPE_STRUCT_OPS) {
			goto out; /* they look up functions */
		}
	}
	if (find_roots(local, elf, elf_sz))
		goto out;
	kbtf.armed = 1;
	return 1;
out:
	ior_kbtf_disarm();
	return 0;
}

void ior_kbtf_disarm(void)
{
	memset(&kbtf, 0, sizeof(kbtf));
}

void ior_kbtf_optional(struct bpf_program **progs, int n)
{
	int i, j;

	for (i = 0; i < n && kbtf.nr_optional < MAX_OPTIONAL; i++) {
		const char *sec = bpf_program__section_name(progs[i]);

		kbtf.optional[kbtf.nr_optional++] = progs[i];
		for (j = 0; j < kbtf.nr_attach; j++)
			if (!strcmp(kbtf.attach[j].name, sec + strlen("tp_btf/")))
				kbtf.attach[j].optional = 1;
	}
}

/* --- the kernel's BTF, read once ------------------------------------------ */

static const char *kname(const struct kernel *k, uint32_t off)
{
	return off < k->strs_len ? k->strs + off : NULL;
}

static const struct btf_type *ktype(const struct kernel *k, uint32_t id)
{
	return id && id < k->nr ? (const struct btf_type *)(k->types + k->offs[id]) : NULL;
}

/* The bytes that follow a type's struct btf_type; -1 for a kind not known. */
static long type_extra(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return (long)btf_vlen(t) * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)btf_vlen(t) * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return (long)btf_vlen(t) * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return (long)btf_vlen(t) * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return (long)btf_vlen(t) * sizeof(struct btf_var_secinfo);
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	}
	return -1;
}

/* The tracepoint whose typedef is named name (btf_trace_NAME), or NULL. */
static struct attach *attach_of(const char *name)
{
	int i;

	if (strncmp(name, TRACE_PREFIX, strlen(TRACE_PREFIX)))
		return NULL;
	for (i = 0; i < kbtf.nr_attach; i++)
		if (!strcmp(name + strlen(TRACE_PREFIX), kbtf.attach[i].name))
			return &kbtf.attach[i];
	return NULL;
}

static void match(const struct kernel *k, const struct btf_type *t, uint32_t id)
{
	unsigned kind = btf_kind(t);
	struct attach *a;
	const char *name;
	int i;

	if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION && kind != BTF_KIND_ENUM &&
	    kind != BTF_KIND_ENUM64 && kind != BTF_KIND_TYPEDEF)
		return;
	name = kname(k, t->name_off);
	if (!name || !*name)
		return;
	for (i = 0; i < kbtf.nr_roots; i++) {
		struct root *r = &kbtf.roots[i];

		if (name[0] == r->name[0] && kinds_compat(kind, r->kind) &&
		    !strncmp(name, r->name, r->len) && essential_len(name) == r->len) {
			if (r->nr_cands == MAX_CANDS)
				r->nr_cands = MAX_CANDS + 1; /* too many: step aside */
			else
				r->cands[r->nr_cands++] = id;
		}
	}
	if (kind == BTF_KIND_TYPEDEF && (a = attach_of(name)) && !a->id)
		a->id = id; /* the first, as libbpf's lookup */
}

/* Index the types and find the roots and typedefs; 0 if all were found. */
static int walk(struct kernel *k, const void *data, size_t size)
{
	const struct btf_header *h = data;
	uint32_t off, id, max;
	int i;

	if (size < sizeof(*h) || h->magic != BTF_MAGIC || h->version != BTF_VERSION ||
	    h->hdr_len < sizeof(*h) || h->hdr_len > size ||
	    (uint64_t)h->type_off + h->type_len > size - h->hdr_len ||
	    (uint64_t)h->str_off + h->str_len > size - h->hdr_len || !h->str_len)
		return -1;
	k->types = (const char *)data + h->hdr_len + h->type_off;
	k->types_len = h->type_len;
	k->strs = (const char *)data + h->hdr_len + h->str_off;
	k->strs_len = h->str_len;
	if (k->strs[k->strs_len - 1])
		return -1;
	max = h->type_len / sizeof(struct btf_type) + 1;
	k->offs = malloc((size_t)max * sizeof(*k->offs));
	if (!k->offs)
		return -1;
	for (off = 0, id = 1; off < k->types_len; id++) {
		const struct btf_type *t = (const void *)(k->types + off);
		long extra;

		if (k->types_len - off < sizeof(*t) || off % 4)
			return -1;
		extra = type_extra(t);
		if (extra < 0 || (uint64_t)extra > k->types_len - off - sizeof(*t))
			return -1;
		k->offs[id] = off;
		off += sizeof(*t) + extra;
		match(k, t, id);
	}
	k->nr = id;
	for (i = 0; i < kbtf.nr_roots; i++)
		if (!kbtf.roots[i].nr_cands || kbtf.roots[i].nr_cands > MAX_CANDS)
			return -1;
	for (i = 0; i < kbtf.nr_attach; i++)
		if (!kbtf.attach[i].id && !kbtf.attach[i].optional)
			return -1;
	return 0;
}

/*
 * The kernel's type id into the short BTF, as libbpf's field relocations
 * see it: modifiers and typedefs skipped, a pointer as `void *`, an
 * embedded struct, union or array whole. Its id there (0 for void), or
 * a negative number.
 */
static int copy_type(struct kernel *k, uint32_t id, int depth)
{
	const struct btf_type *t;
	const char *name;
	int ret = -1, hops = 0;

	if (depth > MAX_DEPTH)
		return -1; /* no BTF the kernel makes; a loop */
	for (;;) {
		if (!id)
			return 0;
		t = ktype(k, id);
		if (!t || ++hops > MAX_DEPTH)
			return -1;
		switch (btf_kind(t)) {
		case BTF_KIND_CONST: case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG: case BTF_KIND_TYPEDEF:
			id = t->type;
			continue;
		}
		break;
	}
	if (k->copied[id])
		return k->copied[id];
	name = kname(k, t->name_off);
	if (!name)
		return -1;
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		if (!k->void_ptr)
			k->void_ptr = btf__add_ptr(k->out, 0);
		ret = k->void_ptr;
		break;
	case BTF_KIND_INT: {
		uint32_t enc = *(const uint32_t *)(t + 1);

		if (BTF_INT_OFFSET(enc) || BTF_INT_BITS(enc) != t->size * 8)
			return -1; /* btf__add_int makes whole ones only */
		ret = btf__add_int(k->out, name, t->size, BTF_INT_ENCODING(enc));
		break;
	}
	case BTF_KIND_FLOAT:
		ret = btf__add_float(k->out, name, t->size);
		break;
	case BTF_KIND_ENUM: {
		const struct btf_enum *e = btf_enum(t);

		ret = btf__add_enum(k->out, name, t->size);
		for (unsigned i = 0; ret > 0 && i < btf_vlen(t); i++) {
			const char *vname = kname(k, e[i].name_off);
			int64_t value = btf_kflag(t) ? (int64_t)e[i].val : (int64_t)(uint32_t)e[i].val;

			if (!vname || btf__add_enum_value(k->out, vname, value))
				ret = -1;
		}
		/* signed is set by a negative value: one signed without any is not copied */
		if (ret > 0 && btf_kflag(btf__type_by_id(k->out, ret)) != btf_kflag(t))
			ret = -1;
		break;
	}
	case BTF_KIND_ENUM64: {
		const struct btf_enum64 *e = btf_enum64(t);

		ret = btf__add_enum64(k->out, name, t->size, btf_kflag(t));
		for (unsigned i = 0; ret > 0 && i < btf_vlen(t); i++) {
			const char *vname = kname(k, e[i].name_off);

			if (!vname || btf__add_enum64_value(k->out, vname, btf_enum64_value(&e[i])))
				ret = -1;
		}
		break;
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		int elem = copy_type(k, a->type, depth + 1);
		int index = elem >= 0 ? copy_type(k, a->index_type, depth + 1) : -1;

		if (elem >= 0 && index >= 0)
			ret = btf__add_array(k->out, index, elem, a->nelems);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);
		unsigned i, n = btf_vlen(t);
		int *types = malloc((n + 1) * sizeof(*types));

		if (!types)
			return -1;
		/* what the members embed first: fields follow their struct */
		for (i = 0; i < n; i++)
			if ((types[i] = copy_type(k, m[i].type, depth + 1)) < 0)
				break;
		if (i == n)
			ret = btf_kind(t) == BTF_KIND_STRUCT ? btf__add_struct(k->out, name, t->size)
							     : btf__add_union(k->out, name, t->size);
		for (i = 0; ret > 0 && i < n; i++) {
			const char *mname = kname(k, m[i].name_off);

			if (!mname || btf__add_field(k->out, mname, types[i], btf_member_bit_offset(t, i),
						     btf_member_bitfield_size(t, i)))
				ret = -1;
		}
		free(types);
		break;
	}
	}
	if (ret > 0)
		k->copied[id] = ret;
	return ret > 0 ? ret : -1;
}

/* A root as libbpf will look for it: by its name and kind. */
static int copy_root(struct kernel *k, uint32_t id)
{
	const struct btf_type *t = ktype(k, id);
	int under;

	if (!t || btf_kind(t) != BTF_KIND_TYPEDEF)
		return copy_type(k, id, 0) > 0 ? 0 : -1;
	under = copy_type(k, t->type, 0);
	return under >= 0 && btf__add_typedef(k->out, kname(k, t->name_off), under) > 0 ? 0 : -1;
}

static struct btf *read_short(const void *data, size_t size)
{
	struct kernel k = { 0 };
	struct timespec t0, t1;
	int i, j, err = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (walk(&k, data, size))
		goto out;
	k.copied = calloc(k.nr, sizeof(*k.copied));
	k.out = btf__new_empty();
	if (!k.copied || !k.out)
		goto out;
	for (i = 0; i < kbtf.nr_roots; i++)
		for (j = 0; j < kbtf.roots[i].nr_cands; j++)
			if (copy_root(&k, kbtf.roots[i].cands[j]))
				goto out;
	err = 0;
	if (ior_verbose >= 2) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		info("kernel BTF: %u types read, %u copied for %d CO-RE types, %d tracepoints found, in %.1f ms",
		     k.nr - 1, btf__type_cnt(k.out) - 1, kbtf.nr_roots, kbtf.nr_attach,
		     (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
out:
	free(k.offs);
	free(k.copied);
	if (err) {
		btf__free(k.out);
		if (ior_verbose >= 2)
			info("kernel BTF: the short reading cannot serve this object; libbpf reads all of it");
		return NULL;
	}
	return k.out;
}

/* --- libbpf's calls -------------------------------------------------------- */

struct btf *__real_btf__load_vmlinux_btf(void);
struct btf *__wrap_btf__load_vmlinux_btf(void);
int __real_btf__find_by_name_kind(const struct btf *btf, const char *name, __u32 kind);
int __wrap_btf__find_by_name_kind(const struct btf *btf, const char *name, __u32 kind);

/*
 * The kernel's BTF file in one buffer: mapped where the kernel allows it
 * (since 6.16; with IOR_KERNEL_BTF=read, never), else read. sysfs hands
 * it out 4 KiB a read: 1300 reads, 5-13 ms here, as libbpf 1.1 reads it.
 */
static void *kernel_btf(size_t *size, int *mapped)
{
	const char *env = getenv("IOR_KERNEL_BTF");
	void *data = NULL;
	struct stat st;
	size_t got = 0;
	ssize_t n = 1;
	int fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0)
		goto out;
	*size = st.st_size;
	*mapped = !(env && !strcmp(env, "read"));
	if (*mapped) {
		data = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (data != MAP_FAILED)
			goto out;
		*mapped = 0;
	}
	data = malloc(*size);
	while (data && got < *size && (n = pread(fd, (char *)data + got, *size - got, got)) > 0)
		got += n;
	if (data && got < *size) {
		free(data);
		data = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	return data;
}

/*
 * The optional programs, if the tracepoint of one is not in btf (the
 * short BTF, which knows what the kernel's has, or all of it): left out.
 */
static void leave_out_optional(const struct btf *btf)
{
	char name[128];
	int i, j;

	for (i = 0; i < kbtf.nr_optional; i++) {
		const char *tp = bpf_program__section_name(kbtf.optional[i]) + strlen("tp_btf/");
		const struct attach *a;

		snprintf(name, sizeof(name), TRACE_PREFIX "%s", tp);
		if (btf == kbtf.btf ? (a = attach_of(name)) && a->id
				    : __real_btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) > 0)
			continue;
		if (ior_verbose)
			info("the kernel has no tracepoint %s: BPF programs left out", tp);
		for (j = 0; j < kbtf.nr_optional; j++)
			bpf_program__set_autoload(kbtf.optional[j], false);
		return;
	}
}

/*
 * libbpf's reading of the kernel's BTF: short when armed, else all of it
 * (a copy of kernel_btf's buffer); where the file cannot be had, libbpf
 * tries as it would have. Read before any program is loaded: the optional
 * ones are left out here if they cannot attach.
 */
struct btf *__wrap_btf__load_vmlinux_btf(void)
{
	struct btf *btf = NULL;
	size_t size = 0;
	int mapped = 0;
	void *data = kernel_btf(&size, &mapped);

	if (data) {
		if (kbtf.armed)
			btf = kbtf.btf = read_short(data, size);
		if (!btf)
			btf = btf__new(data, size); /* a copy */
		if (mapped)
			munmap(data, size);
		else
			free(data);
	}
	if (!btf)
		btf = __real_btf__load_vmlinux_btf();
	if (btf && !libbpf_get_error(btf))
		leave_out_optional(btf);
	return btf;
}

/* The typedefs of the tracepoints, from the short BTF: their ids in the kernel's. */
int __wrap_btf__find_by_name_kind(const struct btf *btf, const char *name, __u32 kind)
{
	struct attach *a;

	if (kbtf.btf && btf == kbtf.btf && kind == BTF_KIND_TYPEDEF && (a = attach_of(name)))
		return a->id;
	return __real_btf__find_by_name_kind(btf, name, kind);
}
