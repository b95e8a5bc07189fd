// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Opening a vmcore: format detection and the note area (memory through
 * libkdumpfile is dump-mem.c's, so the crash extension links without it). Only headers and notes are read at open time (pread, no
 * mapping of the whole file), so a 1 TiB sparse dump opens as fast as a
 * small one. Every header is checked here before libkdumpfile sees the
 * file: 0.5.1 trusts several of them (dump-elf.c says which).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump.h"

static const char elf_magic[4] = { 0x7f, 'E', 'L', 'F' };
static const char kdump_magic[8] = "KDUMP   ";
static const char flat_magic[12] = "makedumpfile";

bool sdei_dump_in_file(const struct sdei_dump *dump, uint64_t offset,
		       uint64_t size)
{
	return offset <= dump->file_size && size <= dump->file_size - offset;
}

struct sdei_error *sdei_dump_pread(struct sdei_dump *dump, void *buf,
				   size_t len, uint64_t offset,
				   const char *what)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(dump->fd, p, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sdei_error_errno(errno,
						"'%s': cannot read %s at offset 0x%" PRIx64,
						dump->path, what, offset);
		if (n == 0)
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "'%s': truncated %s at offset 0x%" PRIx64,
						 dump->path, what, offset);
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Notes                                                               */
/* ------------------------------------------------------------------ */

static uint64_t align4(uint64_t n)
{
	return (n + 3) & ~(uint64_t)3;
}

struct sdei_error *sdei_notes_parse(const char *path, const uint8_t *buf,
				    size_t len, uint64_t file_offset,
				    struct sdei_note **notes, size_t *nr,
				    size_t *alloc)
{
	uint64_t pos = 0;

	while (pos < len) {
		uint32_t namesz, descsz, type;
		uint64_t name_end, desc_end, next;
		struct sdei_note *n;
		size_t i;

		if (len - pos < 12) {
			/* zero padding after the last note is harmless */
			for (i = pos; i < len && !buf[i]; i++)
				;
			if (i == len)
				break;
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "'%s': truncated note header at offset 0x%" PRIx64,
						 path, file_offset + pos);
		}
		namesz = sdei_le32(buf + pos);
		descsz = sdei_le32(buf + pos + 4);
		type = sdei_le32(buf + pos + 8);
		/*
		 * An all-zero header ends the notes, as for the kernel
		 * (fs/proc/vmcore.c stops at n_namesz == 0): what follows is
		 * an unwritten crash_notes buffer.
		 */
		if (!namesz && !descsz && !type)
			break;
		name_end = pos + 12 + align4(namesz);
		if (name_end > len)
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "'%s': note at offset 0x%" PRIx64 ": name size %" PRIu32 " runs past the end of the note segment",
						 path, file_offset + pos, namesz);
		desc_end = name_end + descsz;
		if (desc_end > len)
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "'%s': note at offset 0x%" PRIx64 ": descriptor size %" PRIu32 " runs past the end of the note segment",
						 path, file_offset + pos, descsz);
		/* the last note may lack its padding */
		next = align4(desc_end);
		if (next > len)
			next = len;

		if (*nr == *alloc) {
			size_t na = *alloc ? 2 * *alloc : 16;
			struct sdei_note *nn;

			nn = realloc(*notes, na * sizeof(*nn));
			if (!nn)
				return &sdei_error_nomem;
			*notes = nn;
			*alloc = na;
		}
		n = &(*notes)[*nr];
		memset(n, 0, sizeof(*n));
		n->index = (unsigned int)*nr;
		n->offset = file_offset + pos;
		n->namesz = namesz;
		n->descsz = descsz;
		n->type = type;
		i = namesz < sizeof(n->name) - 1 ? namesz : sizeof(n->name) - 1;
		memcpy(n->name, buf + pos + 12, i);
		n->name[i] = '\0';
		n->desc = buf + (name_end);
		(*nr)++;
		pos = next;
	}
	return NULL;
}

static struct sdei_error *read_notes(struct sdei_dump *dump)
{
	struct sdei_error *err;
	uint64_t total = 0, at;
	size_t i, alloc = 0;

	for (i = 0; i < dump->nr_segs; i++)
		total += dump->segs[i].size;
	/* dump-elf.c and dump-kdump.c bound total by SDEI_MAX_NOTE_AREA */
	dump->note_bytes = malloc(total ? total : 1);
	if (!dump->note_bytes)
		return &sdei_error_nomem;
	for (at = 0, i = 0; i < dump->nr_segs; i++) {
		err = sdei_dump_pread(dump, dump->note_bytes + at,
				      dump->segs[i].size, dump->segs[i].offset,
				      "note segment");
		if (err)
			return err;
		at += dump->segs[i].size;
	}
	for (at = 0, i = 0; i < dump->nr_segs; i++) {
		err = sdei_notes_parse(dump->path, dump->note_bytes + at,
				       dump->segs[i].size,
				       dump->segs[i].offset, &dump->notes,
				       &dump->nr_notes, &alloc);
		if (err)
			return err;
		at += dump->segs[i].size;
	}
	return NULL;
}

static char *copy_text(const uint8_t *p, size_t len)
{
	const uint8_t *nul = memchr(p, '\0', len);
	char *s;

	if (nul)
		len = (size_t)(nul - p);
	s = malloc(len + 1);
	if (!s)
		return NULL;
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

static struct sdei_error *decode_notes(struct sdei_dump *dump)
{
	struct sdei_error *err;
	size_t i, nr = 0;

	dump->prstatus = calloc(dump->nr_notes ? dump->nr_notes : 1,
				sizeof(*dump->prstatus));
	if (!dump->prstatus)
		return &sdei_error_nomem;
	for (i = 0; i < dump->nr_notes; i++) {
		const struct sdei_note *n = &dump->notes[i];
		struct sdei_prstatus *p;

		if (n->type == SDEI_NT_PRSTATUS && !strcmp(n->name, "CORE")) {
			p = &dump->prstatus[nr];
			sdei_prstatus_decode(n->desc, n->descsz, p);
			p->index = (int)nr++;
			p->note = n;
		} else if (!dump->vmcoreinfo &&
			   !strcmp(n->name, "VMCOREINFO")) {
			dump->vmcoreinfo = copy_text(n->desc, n->descsz);
			if (!dump->vmcoreinfo)
				return &sdei_error_nomem;
		}
	}
	dump->nr_prstatus = nr;

	/*
	 * The kdump sub-header's copy, read once: the text when the note
	 * area lacks it, and dump-mem.c checks it before libkdumpfile does.
	 */
	if (dump->kdump_vmcoreinfo_size) {
		size_t sz = dump->kdump_vmcoreinfo_size;

		dump->kdump_vmcoreinfo = malloc(sz);
		if (!dump->kdump_vmcoreinfo)
			return &sdei_error_nomem;
		err = sdei_dump_pread(dump, dump->kdump_vmcoreinfo, sz,
				      dump->kdump_vmcoreinfo_offset,
				      "kdump VMCOREINFO");
		if (err) {
			free(dump->kdump_vmcoreinfo);
			dump->kdump_vmcoreinfo = NULL;
			return err;
		}
		if (!dump->vmcoreinfo) {
			dump->vmcoreinfo = copy_text(dump->kdump_vmcoreinfo,
						     sz);
			if (!dump->vmcoreinfo)
				return &sdei_error_nomem;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Memory (libkdumpfile)                                               */
/* ------------------------------------------------------------------ */


/* ------------------------------------------------------------------ */
/* Open and close                                                      */
/* ------------------------------------------------------------------ */

/* The refusal of a flattened file, with the command that converts it. */
static struct sdei_error *flattened_error(const char *path)
{
	size_t len = strlen(path);
	struct sdei_error *err;
	char *out;

	if (len > 5 && !strcmp(path + len - 5, ".flat"))
		out = strndup(path, len - 5);
	else if (asprintf(&out, "%s.kdump", path) < 0)
		out = NULL;
	if (!out)
		return &sdei_error_nomem;
	err = sdei_error_create(SDEI_ERROR_FORMAT,
				"'%s' is a flattened makedumpfile dump; convert it with: makedumpfile -R '%s' < '%s'",
				path, out, path);
	free(out);
	return err;
}

static struct sdei_error *detect_and_parse(struct sdei_dump *dump)
{
	uint8_t head[64];
	size_t n = sizeof(head);
	struct sdei_error *err;

	if (dump->file_size == 0)
		return sdei_error_create(SDEI_ERROR_FORMAT,
					 "'%s': empty file, not a vmcore",
					 dump->path);
	if (dump->file_size < n)
		n = (size_t)dump->file_size;
	err = sdei_dump_pread(dump, head, n, 0, "file header");
	if (err)
		return err;

	if (n >= sizeof(elf_magic) && !memcmp(head, elf_magic, 4)) {
		dump->format = SDEI_FORMAT_ELF;
		return sdei_dump_elf_headers(dump, head, n);
	}
	if (n >= sizeof(kdump_magic) &&
	    !memcmp(head, kdump_magic, sizeof(kdump_magic))) {
		dump->format = SDEI_FORMAT_KDUMP;
		return sdei_dump_kdump_headers(dump);
	}
	if (n >= sizeof(flat_magic) &&
	    !memcmp(head, flat_magic, sizeof(flat_magic)))
		return flattened_error(dump->path);
	return sdei_error_create(SDEI_ERROR_FORMAT,
				 "'%s': not a vmcore (neither ELF nor kdump-compressed)",
				 dump->path);
}

struct sdei_error *sdei_dump_open_notes(const char *path,
				      struct sdei_dump **ret)
{
	struct sdei_dump *dump;
	struct sdei_error *err;
	struct stat st;

	*ret = NULL;
	dump = calloc(1, sizeof(*dump));
	if (!dump)
		return &sdei_error_nomem;
	dump->fd = -1;
	dump->trace_fd = -1;
	dump->header_nr_cpus = -1;
	dump->page_size = 4096;
	dump->path = strdup(path);
	if (!dump->path) {
		err = &sdei_error_nomem;
		goto fail;
	}

	dump->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (dump->fd < 0) {
		err = sdei_error_errno(errno, "cannot open '%s'", path);
		goto fail;
	}
	if (fstat(dump->fd, &st) < 0) {
		err = sdei_error_errno(errno, "cannot stat '%s'", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"'%s': not a regular file", path);
		goto fail;
	}
	dump->file_size = (uint64_t)st.st_size;

	err = detect_and_parse(dump);
	if (err)
		goto fail;
	err = read_notes(dump);
	if (err)
		goto fail;
	err = decode_notes(dump);
	if (err)
		goto fail;

	*ret = dump;
	return NULL;
fail:
	sdei_dump_close(dump);
	return err;
}


void sdei_dump_close(struct sdei_dump *dump)
{
	if (!dump)
		return;
	if (dump->kctx && dump->mem_close)
		dump->mem_close(dump);
	if (dump->fd >= 0)
		close(dump->fd);
	if (dump->trace_fd >= 0)
		close(dump->trace_fd);
	free(dump->path);
	free(dump->segs);
	free(dump->note_bytes);
	free(dump->notes);
	free(dump->prstatus);
	free(dump->vmcoreinfo);
	free(dump->kdump_vmcoreinfo);
	free(dump->loads);
	free(dump->mem_error);
	free(dump);
}

const char *sdei_dump_format(const struct sdei_dump *dump)
{
	return dump->format == SDEI_FORMAT_ELF ? "elf" : "kdump-compressed";
}

const char *sdei_dump_compression(const struct sdei_dump *dump)
{
	return dump->compression;
}

const struct sdei_note *sdei_dump_notes(const struct sdei_dump *dump,
					size_t *nr_ret)
{
	*nr_ret = dump->nr_notes;
	return dump->notes;
}

const struct sdei_prstatus *sdei_dump_prstatus(const struct sdei_dump *dump,
					       size_t *nr_ret)
{
	*nr_ret = dump->nr_prstatus;
	return dump->prstatus;
}

const char *sdei_dump_vmcoreinfo(const struct sdei_dump *dump)
{
	return dump->vmcoreinfo;
}

int sdei_dump_header_nr_cpus(const struct sdei_dump *dump)
{
	return dump->header_nr_cpus;
}
