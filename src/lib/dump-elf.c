// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF vmcores: check every header before libkdumpfile sees the file.
 *
 * libkdumpfile 0.5.1 trusts e_phentsize/e_shentsize (it maps a chunk of
 * that size and reads a whole Elf64_Phdr/Elf64_Shdr from it), reads
 * e_shnum section headers even when e_shoff is 0 (a crash, found by
 * fuzzing: e_shnum 0x5500, e_shoff 0), sizes its
 * section array from section 0's sh_size, and strcmp()s section names out
 * of a string table it does not terminate. So a file only reaches it when
 * the entry sizes are the ELF64 ones, every table and segment lies inside
 * the file and the section name table ends in a NUL.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

/* Section headers we accept: a vmcore has none, or one for PN_XNUM. */
#define SDEI_MAX_SHDRS	4096u

const char *sdei_elf_machine_name(unsigned int machine)
{
	static const struct {
		unsigned int machine;
		const char *name;
	} names[] = {
		{ EM_386, "i386" },
		{ EM_X86_64, "x86_64" },
		{ EM_ARM, "arm (32-bit)" },
		{ EM_AARCH64, "aarch64" },
		{ EM_PPC, "ppc" },
		{ EM_PPC64, "ppc64" },
		{ EM_S390, "s390" },
		{ EM_MIPS, "mips" },
		{ EM_SPARC, "sparc" },
		{ EM_SPARCV9, "sparc64" },
		{ EM_IA_64, "ia64" },
		{ EM_RISCV, "riscv" },
		{ 258, "loongarch" },	/* EM_LOONGARCH: newer than glibc 2.36 */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (names[i].machine == machine)
			return names[i].name;
	}
	return NULL;
}

static const char *elf_type_name(unsigned int type, char *buf, size_t len)
{
	switch (type) {
	case ET_NONE:
		return "ET_NONE";
	case ET_REL:
		return "ET_REL";
	case ET_EXEC:
		return "ET_EXEC";
	case ET_DYN:
		return "ET_DYN";
	}
	snprintf(buf, len, "%u", type);
	return buf;
}

/* Section headers: only their sanity matters to us (see the top). */
static struct sdei_error *check_sections(struct sdei_dump *dump,
					 const Elf64_Ehdr *eh,
					 const Elf64_Shdr *sh0, uint64_t shnum)
{
	struct sdei_error *err;
	Elf64_Shdr *sh;
	uint64_t strndx, i;
	char last;

	if (shnum > SDEI_MAX_SHDRS)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': absurd number of ELF section headers (%" PRIu64 ")",
					 dump->path, shnum);
	if (!sdei_dump_in_file(dump, eh->e_shoff, shnum * sizeof(*sh)))
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': ELF section header table (offset 0x%" PRIx64 ", %" PRIu64 " entries) is past the end of the file",
					 dump->path, (uint64_t)eh->e_shoff, shnum);
	if (!shnum)
		return NULL;
	sh = malloc(shnum * sizeof(*sh));
	if (!sh)
		return &sdei_error_nomem;
	err = sdei_dump_pread(dump, sh, shnum * sizeof(*sh), eh->e_shoff,
			      "ELF section headers");
	if (err)
		goto out;
	for (i = 0; i < shnum; i++) {
		if (sh[i].sh_type == SHT_NOBITS || sh[i].sh_type == SHT_NULL)
			continue;
		if (!sdei_dump_in_file(dump, sh[i].sh_offset, sh[i].sh_size)) {
			err = sdei_error_create(SDEI_ERROR_CORRUPT,
						"'%s': ELF section %" PRIu64 " (offset 0x%" PRIx64 ", size 0x%" PRIx64 ") is past the end of the file",
						dump->path, i,
						(uint64_t)sh[i].sh_offset,
						(uint64_t)sh[i].sh_size);
			goto out;
		}
	}
	strndx = eh->e_shstrndx == SHN_XINDEX ? sh0->sh_link : eh->e_shstrndx;
	/* libkdumpfile ignores index 0 and out-of-range indexes */
	if (strndx && strndx < shnum && sh[strndx].sh_size) {
		err = sdei_dump_pread(dump, &last, 1, sh[strndx].sh_offset +
				      sh[strndx].sh_size - 1,
				      "ELF section name table");
		if (err)
			goto out;
		if (last) {
			err = sdei_error_create(SDEI_ERROR_CORRUPT,
						"'%s': ELF section name table is not NUL-terminated",
						dump->path);
			goto out;
		}
	}
out:
	free(sh);
	return err;
}

static struct sdei_error *add_seg(struct sdei_dump *dump, uint64_t offset,
				  uint64_t size)
{
	struct sdei_note_seg *segs;

	segs = realloc(dump->segs, (dump->nr_segs + 1) * sizeof(*segs));
	if (!segs)
		return &sdei_error_nomem;
	dump->segs = segs;
	segs[dump->nr_segs].offset = offset;
	segs[dump->nr_segs].size = size;
	dump->nr_segs++;
	return NULL;
}

static struct sdei_error *check_phdrs(struct sdei_dump *dump,
				      const Elf64_Phdr *ph, uint64_t phnum)
{
	struct sdei_error *err;
	uint64_t i, note_total = 0;
	size_t nr_loads = 0;

	for (i = 0; i < phnum; i++) {
		const char *what;

		if (ph[i].p_type == PT_LOAD)
			what = "PT_LOAD";
		else if (ph[i].p_type == PT_NOTE)
			what = "PT_NOTE";
		else
			continue;
		if (!sdei_dump_in_file(dump, ph[i].p_offset, ph[i].p_filesz))
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "'%s': %s segment (program header %" PRIu64 ": offset 0x%" PRIx64 ", size 0x%" PRIx64 ") ends past the end of the file (size 0x%" PRIx64 ")",
						 dump->path, what, i,
						 (uint64_t)ph[i].p_offset,
						 (uint64_t)ph[i].p_filesz,
						 dump->file_size);
		if (ph[i].p_type == PT_LOAD) {
			if (ph[i].p_filesz > ph[i].p_memsz)
				return sdei_error_create(SDEI_ERROR_CORRUPT,
							 "'%s': PT_LOAD segment (program header %" PRIu64 ") has p_filesz 0x%" PRIx64 " larger than p_memsz 0x%" PRIx64,
							 dump->path, i,
							 (uint64_t)ph[i].p_filesz,
							 (uint64_t)ph[i].p_memsz);
			nr_loads++;
			continue;
		}
		note_total += ph[i].p_filesz;
		if (note_total > SDEI_MAX_NOTE_AREA)
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "'%s': PT_NOTE segments hold more than %u MiB of notes",
						 dump->path,
						 SDEI_MAX_NOTE_AREA >> 20);
		err = add_seg(dump, ph[i].p_offset, ph[i].p_filesz);
		if (err)
			return err;
	}

	dump->loads = calloc(nr_loads ? nr_loads : 1, sizeof(*dump->loads));
	if (!dump->loads)
		return &sdei_error_nomem;
	for (i = 0; i < phnum; i++) {
		struct sdei_load *l;

		if (ph[i].p_type != PT_LOAD)
			continue;
		l = &dump->loads[dump->nr_loads++];
		l->offset = ph[i].p_offset;
		l->vaddr = ph[i].p_vaddr;
		l->paddr = ph[i].p_paddr;
		l->filesz = ph[i].p_filesz;
		l->memsz = ph[i].p_memsz;
	}
	return NULL;
}

struct sdei_error *sdei_dump_elf_headers(struct sdei_dump *dump,
					 const uint8_t *ident, size_t len)
{
	struct sdei_error *err;
	Elf64_Ehdr eh;
	Elf64_Shdr sh0;
	Elf64_Phdr *ph;
	uint64_t phnum, shnum;
	char tbuf[16];

	if (len > EI_CLASS && ident[EI_CLASS] != ELFCLASS64)
		return sdei_error_create(SDEI_ERROR_FORMAT,
					 "'%s': %s ELF file, not an arm64 vmcore",
					 dump->path,
					 ident[EI_CLASS] == ELFCLASS32 ?
					 "32-bit" : "non-64-bit");
	if (len > EI_DATA && ident[EI_DATA] != ELFDATA2LSB)
		return sdei_error_create(SDEI_ERROR_FORMAT,
					 "'%s': %s ELF file, not an arm64 vmcore",
					 dump->path,
					 ident[EI_DATA] == ELFDATA2MSB ?
					 "big-endian" : "unknown-endian");
	if (len < sizeof(eh))
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': truncated ELF header",
					 dump->path);
	/* The host is little-endian too (arm64 or x86_64 analysis hosts). */
	memcpy(&eh, ident, sizeof(eh));
	if (eh.e_type != ET_CORE)
		return sdei_error_create(SDEI_ERROR_FORMAT,
					 "'%s': ELF file of type %s, not a core dump",
					 dump->path,
					 elf_type_name(eh.e_type, tbuf,
						       sizeof(tbuf)));
	if (eh.e_machine != EM_AARCH64) {
		const char *name = sdei_elf_machine_name(eh.e_machine);

		if (name)
			return sdei_error_create(SDEI_ERROR_FORMAT,
						 "'%s': ELF core dump for %s, not arm64",
						 dump->path, name);
		return sdei_error_create(SDEI_ERROR_FORMAT,
					 "'%s': ELF core dump for machine %u, not arm64",
					 dump->path, eh.e_machine);
	}

	phnum = eh.e_phnum;
	shnum = eh.e_shnum;
	memset(&sh0, 0, sizeof(sh0));
	/* libkdumpfile reads e_shnum headers from offset 0 (and crashes) */
	if (!eh.e_shoff && shnum)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': ELF header claims %" PRIu64 " section headers but has no section header table",
					 dump->path, shnum);
	if (eh.e_shoff) {
		if (eh.e_shentsize != sizeof(Elf64_Shdr))
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "'%s': bad ELF section header size %u",
						 dump->path, eh.e_shentsize);
		if (!sdei_dump_in_file(dump, eh.e_shoff, sizeof(sh0)))
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "'%s': ELF section header table (offset 0x%" PRIx64 ") is past the end of the file",
						 dump->path,
						 (uint64_t)eh.e_shoff);
		err = sdei_dump_pread(dump, &sh0, sizeof(sh0), eh.e_shoff,
				      "ELF section header 0");
		if (err)
			return err;
		/* Extended numbering (more than 65534 program headers) */
		if (!shnum)
			shnum = sh0.sh_size;
		if (phnum == PN_XNUM)
			phnum = sh0.sh_info;
		err = check_sections(dump, &eh, &sh0, shnum);
		if (err)
			return err;
	}

	if (phnum > SDEI_MAX_PHDRS)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': absurd number of ELF program headers (%" PRIu64 ")",
					 dump->path, phnum);
	if (phnum && eh.e_phentsize != sizeof(Elf64_Phdr))
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': bad ELF program header size %u",
					 dump->path, eh.e_phentsize);
	if (!sdei_dump_in_file(dump, eh.e_phoff, phnum * sizeof(*ph)))
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': ELF program header table (offset 0x%" PRIx64 ", %" PRIu64 " entries) is past the end of the file",
					 dump->path, (uint64_t)eh.e_phoff, phnum);
	ph = malloc(phnum ? phnum * sizeof(*ph) : 1);
	if (!ph)
		return &sdei_error_nomem;
	err = sdei_dump_pread(dump, ph, phnum * sizeof(*ph), eh.e_phoff,
			      "ELF program headers");
	if (!err)
		err = check_phdrs(dump, ph, phnum);
	free(ph);
	return err;
}
