/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_TRACE_FORMAT_H
#define IOR_TRACE_FORMAT_H

/*
 * Constants of the native trace format (.ior.zst). The byte-level
 * specification is Documentation/ior-trace-format.txt; keep them in step.
 */

#define IOR_TRACE_MAGIC "IORTRACE"
#define IOR_TRACE_MAGIC_LEN 8
#define IOR_TRACE_VERSION_MAJOR 1 /* readers refuse a newer major */
#define IOR_TRACE_VERSION_MINOR 0 /* compatible additions */

/* Feature bits: a reader refuses a trace with an incompat bit it does not know. */
#define IOR_TRACE_INCOMPAT_KNOWN 0ULL
#define IOR_TRACE_COMPAT_KNOWN 0ULL

/*
 * Blocks: one zstd frame each. The writer's target uncompressed size is
 * 256 KiB: the recorder compresses a block in about 1 ms, during which it
 * reads no ring (1 MiB took 4.5 ms, longer than a 256K ring lasts).
 */
#define IOR_BLOCK_DEFAULT (256u << 10)
#define IOR_BLOCK_MAX (4u << 20)     /* readers reject bigger blocks */
#define IOR_STRING_MAX (64u << 10)   /* longer strings are cut by the writer */
#define IOR_STRING_JUMP_MAX (1u << 20) /* string ids a reader skips over lost blocks, in all */

#define ZSTD_FRAME_MAGIC 0xFD2FB528u
#define ZSTD_SKIPPABLE_MAGIC 0x184D2A50u /* & 0xFFFFFFF0 */

enum ior_record_type {
	IOR_REC_HEADER = 1,
	IOR_REC_STRING = 2,
	IOR_REC_EVENT = 3,
	IOR_REC_TASK = 4,
	IOR_REC_LOST = 5,
	IOR_REC_FOOTER = 6,
};

/* HEADER attributes: key, length, value. */
enum ior_header_key {
	IOR_HDR_IOR_VERSION = 1, /* string */
	IOR_HDR_HOSTNAME = 2,	 /* string */
	IOR_HDR_KERNEL = 3,	 /* string */
	IOR_HDR_ARCH = 4,	 /* string */
	IOR_HDR_CMDLINE = 5,	 /* string */
	IOR_HDR_BOOT_TO_WALL = 6, /* zigzag varint, ns */
	IOR_HDR_START_TIME = 7,	 /* varint, boot clock ns */
	IOR_HDR_SYSCALL = 8,	 /* varint nr, varint name length, name, family (repeated) */
	IOR_HDR_FILTER = 9,	 /* string (repeated) */
};

/*
 * EVENT field mask bits. The fields present follow the mask in bit order;
 * duration and gap are always present (after the mask, before the fields).
 * A field whose bit is clear equals the previous event's in the block,
 * except time, which is then prev.time + prev.duration + gap.
 */
enum ior_event_bit {
	IOR_EV_TIME = 1 << 0,	  /* zigzag varint: time - prev.time */
	IOR_EV_FD = 1 << 1,	  /* zigzag varint */
	IOR_EV_RET = 1 << 2,	  /* zigzag varint */
	IOR_EV_BYTES = 1 << 3,	  /* varint */
	IOR_EV_PATH = 1 << 4,	  /* varint string id */
	IOR_EV_NR = 1 << 5,	  /* varint */
	IOR_EV_TID = 1 << 6,	  /* zigzag varint */
	IOR_EV_PID = 1 << 7,	  /* zigzag varint */
	IOR_EV_COMM = 1 << 8,	  /* varint string id */
	IOR_EV_FLAGS = 1 << 9,	  /* varint */
	IOR_EV_PATH2 = 1 << 10,	  /* varint string id */
	IOR_EV_RESTARTS = 1 << 11, /* varint */
};
#define IOR_EV_KNOWN ((1u << 12) - 1)

#endif
