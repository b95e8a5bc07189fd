/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dump reading: the layout of struct sdei_dump and the helpers shared by
 * dump.c (open, notes, memory), dump-elf.c and dump-kdump.c (header
 * validation). Private to the dump-reading files.
 */
#ifndef SDEI_DUMP_H
#define SDEI_DUMP_H

#include <stdint.h>
#include <sys/types.h>

#include "internal.h"

/* A note area larger than this is not a vmcore's (4096 CPUs fit in 2 MiB). */
#define SDEI_MAX_NOTE_AREA	(64u << 20)
/* Program headers we accept (PN_XNUM lets a file claim 2^32). */
#define SDEI_MAX_PHDRS		(1u << 20)
/* VMCOREINFO text we copy from a kdump sub-header. */
#define SDEI_MAX_VMCOREINFO	(1u << 20)

enum sdei_dump_format {
	SDEI_FORMAT_ELF,
	SDEI_FORMAT_KDUMP,
};

/* One PT_LOAD, as the file states it. */
struct sdei_load {
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
};

/* One stretch of the file that holds notes (a PT_NOTE or the kdump area). */
struct sdei_note_seg {
	uint64_t offset;
	uint64_t size;
};

struct sdei_dump {
	char *path;
	int fd;
	uint64_t file_size;
	enum sdei_dump_format format;
	const char *compression;	/* NULL for ELF */
	int header_nr_cpus;		/* -1 for ELF */

	/* note area: raw bytes of every note stretch, back to back */
	struct sdei_note_seg *segs;
	size_t nr_segs;
	uint8_t *note_bytes;
	struct sdei_note *notes;
	size_t nr_notes;
	struct sdei_prstatus *prstatus;
	size_t nr_prstatus;
	char *vmcoreinfo;

	/* kdump-compressed: VMCOREINFO of the sub-header, if any */
	uint64_t kdump_vmcoreinfo_offset;
	uint64_t kdump_vmcoreinfo_size;
	uint8_t *kdump_vmcoreinfo;	/* its bytes, read at open */

	/* ELF: every PT_LOAD, to tell a page in the dump from a zero fill */
	struct sdei_load *loads;
	size_t nr_loads;

	/* memory */
	struct _kdump_ctx *kctx;	/* NULL when memory cannot be read */
	void (*mem_close)(struct sdei_dump *dump);	/* dump-mem.c's */
	char *mem_error;		/* why, when kctx is NULL or unusable */
	uint64_t page_size;
	int trace_fd;			/* SDEI_VMCORE_TRACE, or -1 */
};

/* dump.c */
struct sdei_error *sdei_dump_pread(struct sdei_dump *dump, void *buf,
				   size_t len, uint64_t offset,
				   const char *what);
/* Whether [offset, offset + size) lies within the file. */
bool sdei_dump_in_file(const struct sdei_dump *dump, uint64_t offset,
		       uint64_t size);

/* dump-elf.c: validates the ELF headers, fills segs and loads. */
struct sdei_error *sdei_dump_elf_headers(struct sdei_dump *dump,
					 const uint8_t *ident, size_t len);
const char *sdei_elf_machine_name(unsigned int machine);

/* dump-kdump.c: validates the kdump headers, fills segs. */
struct sdei_error *sdei_dump_kdump_headers(struct sdei_dump *dump);

/* dump.c: parses one note stretch; exported for the unit tests. */
struct sdei_error *sdei_notes_parse(const char *path, const uint8_t *buf,
				    size_t len, uint64_t file_offset,
				    struct sdei_note **notes, size_t *nr,
				    size_t *alloc);

#endif /* SDEI_DUMP_H */
