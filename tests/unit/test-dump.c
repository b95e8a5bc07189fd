// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of dump reading: format detection and every refusal (exact
 * code and message), the note parse, PRSTATUS decoding, VMCOREINFO
 * lookups, memory reads of crafted ELF dumps (a page that is not in the
 * file must fault, never read as zeros), tracing, and the real dumps of
 * ../shared/realcores when they are there. TAP output; exit 0 or 1.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "dump.h"
#include "tap.h"

/*
 * libkdumpfile 0.5.1 leaks 104 bytes when the Linux address translation
 * cannot be set up (our crafted ELF has an empty swapper_pg_dir): not
 * ours to fix, so LeakSanitizer (make SANITIZE=1) is told to ignore it.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libkdumpfile.so\nleak:libaddrxlat.so\n";
}

static char tmpdir[] = "/tmp/test-dump-XXXXXX";

/* ------------------------------------------------------------------ */
/* Building files                                                      */
/* ------------------------------------------------------------------ */

struct buf {
	uint8_t *p;
	size_t len;
};

static void buf_reserve(struct buf *b, size_t len)
{
	if (len <= b->len)
		return;
	b->p = realloc(b->p, len);
	if (!b->p)
		abort();
	memset(b->p + b->len, 0, len - b->len);
	b->len = len;
}

static void put(struct buf *b, size_t off, const void *src, size_t len)
{
	buf_reserve(b, off + len);
	memcpy(b->p + off, src, len);
}

static void put16(struct buf *b, size_t off, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	put(b, off, x, 2);
}

static void put32(struct buf *b, size_t off, uint32_t v)
{
	uint8_t x[4];
	int i;

	for (i = 0; i < 4; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	put(b, off, x, 4);
}

static void put64(struct buf *b, size_t off, uint64_t v)
{
	put32(b, off, (uint32_t)v);
	put32(b, off + 4, (uint32_t)(v >> 32));
}

/* Appends one note at b->len; returns its offset. */
static size_t add_note(struct buf *b, const char *name, uint32_t type,
		       const void *desc, uint32_t descsz)
{
	size_t off = b->len, namesz = strlen(name) + 1;
	size_t name_pad = (namesz + 3) & ~(size_t)3;

	put32(b, off, (uint32_t)namesz);
	put32(b, off + 4, descsz);
	put32(b, off + 8, type);
	put(b, off + 12, name, namesz);
	buf_reserve(b, off + 12 + name_pad);
	if (descsz)
		put(b, off + 12 + name_pad, desc, descsz);
	buf_reserve(b, (off + 12 + name_pad + descsz + 3) & ~(size_t)3);
	return off;
}

static void make_prstatus(uint8_t *desc, int32_t pid, uint64_t seed)
{
	struct buf b = { 0 };
	int i;

	put32(&b, SDEI_PR_PID_OFFSET, (uint32_t)pid);
	for (i = 0; i < SDEI_NR_REGS; i++)
		put64(&b, SDEI_PR_REG_OFFSET + 8 * i, seed + (uint64_t)i);
	buf_reserve(&b, SDEI_PRSTATUS_SIZE);
	memcpy(desc, b.p, SDEI_PRSTATUS_SIZE);
	free(b.p);
}

static const char test_vmcoreinfo[] =
	"OSRELEASE=6.1.0-test\n"
	"PAGESIZE=4096\n"
	"NUMBER(VA_BITS)=48\n"
	"NUMBER(kimage_voffset)=0xffff800008000000\n"
	"KERNELOFFSET=0\n"
	"SYMBOL(_stext)=ffff800008010000\n"
	"SYMBOL(swapper_pg_dir)=ffff800008048000\n";

/* The note area used by the good dumps, and where its notes sit in it. */
static size_t note_offs[5];

static void make_notes(struct buf *b, bool short_pr)
{
	uint8_t desc[SDEI_PRSTATUS_SIZE];

	make_prstatus(desc, 7, 0x1000);
	note_offs[0] = add_note(b, "CORE", NT_PRSTATUS, desc, sizeof(desc));
	note_offs[1] = add_note(b, "LINUX", 0x400, "abcde", 5);
	make_prstatus(desc, 0, 0x2000);
	note_offs[2] = add_note(b, "CORE", NT_PRSTATUS, desc, sizeof(desc));
	/* short: pid and 10 registers only */
	make_prstatus(desc, 42, 0x3000);
	note_offs[3] = add_note(b, "CORE", NT_PRSTATUS, desc,
				short_pr ? 192 : sizeof(desc));
	note_offs[4] = add_note(b, "VMCOREINFO", 0, test_vmcoreinfo,
				sizeof(test_vmcoreinfo));
}

struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

static void put_ehdr(struct buf *b, uint16_t type, uint16_t machine,
		     uint16_t phnum)
{
	static const uint8_t ident[EI_NIDENT] = {
		0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
	};

	buf_reserve(b, sizeof(Elf64_Ehdr));
	put(b, 0, ident, sizeof(ident));
	put16(b, 16, type);
	put16(b, 18, machine);
	put32(b, 20, EV_CURRENT);
	put64(b, 32, 64);		/* e_phoff */
	put16(b, 52, 64);		/* e_ehsize */
	put16(b, 54, sizeof(Elf64_Phdr));
	put16(b, 56, phnum);
}

static void put_phdr(struct buf *b, unsigned int i, const struct phdr *ph)
{
	size_t off = 64 + i * sizeof(Elf64_Phdr);

	put32(b, off, ph->type);
	put32(b, off + 4, 7);
	put64(b, off + 8, ph->offset);
	put64(b, off + 16, ph->vaddr);
	put64(b, off + 24, ph->paddr);
	put64(b, off + 32, ph->filesz);
	put64(b, off + 40, ph->memsz);
}

#define NOTE_AT		0x200
#define DATA_AT		0x2000
#define LINEAR		0xffff000000000000ull

/*
 * A good ELF dump: the notes, and RAM pages 0x41000 (file), 0x42000-0x43fff
 * (p_memsz only: filtered), 0x46000 (file; 0x45000 below it is in no
 * PT_LOAD at all), 0x48000 (an empty swapper_pg_dir: libkdumpfile will
 * not read even physical memory without one).
 */
static void make_good_elf(struct buf *b, bool short_pr)
{
	struct buf notes = { 0 };
	struct phdr ph;
	uint8_t page[4096];
	int i;

	make_notes(&notes, short_pr);
	put_ehdr(b, ET_CORE, EM_AARCH64, 4);
	ph = (struct phdr){ PT_NOTE, NOTE_AT, 0, 0, notes.len, notes.len };
	put_phdr(b, 0, &ph);
	ph = (struct phdr){ PT_LOAD, DATA_AT, LINEAR + 0x41000, 0x41000,
			    0x1000, 0x3000 };
	put_phdr(b, 1, &ph);
	ph = (struct phdr){ PT_LOAD, DATA_AT + 0x1000, LINEAR + 0x46000,
			    0x46000, 0x1000, 0x1000 };
	put_phdr(b, 2, &ph);
	ph = (struct phdr){ PT_LOAD, DATA_AT + 0x2000, LINEAR + 0x48000,
			    0x48000, 0x1000, 0x1000 };
	put_phdr(b, 3, &ph);
	buf_reserve(b, DATA_AT + 0x3000);
	put(b, NOTE_AT, notes.p, notes.len);
	for (i = 0; i < 4096; i++)
		page[i] = (uint8_t)(i * 7 + 1);
	put(b, DATA_AT, page, sizeof(page));
	for (i = 0; i < 4096; i++)
		page[i] = (uint8_t)(0xa5 ^ i);
	put(b, DATA_AT + 0x1000, page, sizeof(page));
	free(notes.p);
}

/* A kdump-compressed header: version, block size, note area. */
static void make_kdump(struct buf *b, int32_t version, int32_t block_size,
		       uint32_t status, const struct buf *notes)
{
	uint64_t bs = block_size > 0 && block_size < (1 << 20) ?
		(uint64_t)block_size : 4096;

	put(b, 0, "KDUMP   ", 8);
	put32(b, 8, (uint32_t)version);
	put(b, 12, "Linux", 5);
	put32(b, 424, status);
	put32(b, 428, (uint32_t)block_size);
	put32(b, 432, 1);		/* sub_hdr_size */
	put32(b, 436, 2);		/* bitmap_blocks */
	put32(b, 440, 0x100);		/* max_mapnr */
	put32(b, 460, 3);		/* nr_cpus */
	put64(b, bs, 0x40000000);	/* phys_base */
	put32(b, bs + 8, 31);		/* dump_level */
	if (notes) {
		put64(b, bs + 48, bs + 104);
		put64(b, bs + 56, notes->len);
		put(b, bs + 104, notes->p, notes->len);
	}
	buf_reserve(b, bs * 4);		/* header, sub-header, bitmaps */
}

static char *write_file(const char *name, const void *data, size_t len)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", tmpdir, name) < 0)
		abort();
	f = fopen(path, "w");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f)) {
		perror(path);
		exit(99);
	}
	return path;
}

static char *write_buf(const char *name, const struct buf *b)
{
	return write_file(name, b->p, b->len);
}

/* Opens @path expecting failure with @code and exactly @msg. */
static void expect_open_error(const char *what, const char *path,
			      enum sdei_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void expect_open_error(const char *what, const char *path,
			      enum sdei_error_code code, const char *fmt, ...)
{
	struct sdei_dump *dump = (struct sdei_dump *)1;
	struct sdei_error *err;
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	err = sdei_dump_open(path, &dump);
	if (!ok(err && err->code == code && !strcmp(err->message, msg) &&
		!dump, "%s", what)) {
		printf("#   expected: %d %s\n", code, msg);
		if (err)
			printf("#   got:      %d %s\n", err->code,
			       err->message);
		else
			printf("#   got:      success\n");
	}
	if (!err)
		sdei_dump_close(dump);
	sdei_error_destroy(err);
	free(msg);
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */
/* ------------------------------------------------------------------ */

static void test_detection(void)
{
	struct buf b = { 0 };
	char *path, *flat;

	if (asprintf(&path, "%s/missing", tmpdir) < 0)
		abort();
	expect_open_error("missing file", path, SDEI_ERROR_OS,
			  "cannot open '%s': No such file or directory", path);
	free(path);

	expect_open_error("a directory", tmpdir, SDEI_ERROR_FORMAT,
			  "'%s': not a regular file", tmpdir);

	path = write_file("empty", "", 0);
	expect_open_error("empty file", path, SDEI_ERROR_FORMAT,
			  "'%s': empty file, not a vmcore", path);
	free(path);

	path = write_file("text", "hello, world\n", 13);
	expect_open_error("text file", path, SDEI_ERROR_FORMAT,
			  "'%s': not a vmcore (neither ELF nor kdump-compressed)",
			  path);
	free(path);

	path = write_file("short", "\x7f" "EL", 3);
	expect_open_error("3 bytes", path, SDEI_ERROR_FORMAT,
			  "'%s': not a vmcore (neither ELF nor kdump-compressed)",
			  path);
	free(path);

	put(&b, 0, "makedumpfile", 12);
	put32(&b, 16, 1);
	buf_reserve(&b, 4096);
	flat = write_buf("x.flat", &b);
	if (asprintf(&path, "%s/x", tmpdir) < 0)
		abort();
	expect_open_error("flattened x.flat", flat, SDEI_ERROR_FORMAT,
			  "'%s' is a flattened makedumpfile dump; convert it with: makedumpfile -R '%s' < '%s'",
			  flat, path, flat);
	free(path);
	free(flat);
	flat = write_buf("vmcore", &b);
	expect_open_error("flattened without .flat", flat, SDEI_ERROR_FORMAT,
			  "'%s' is a flattened makedumpfile dump; convert it with: makedumpfile -R '%s.kdump' < '%s'",
			  flat, flat, flat);
	free(flat);
	free(b.p);
}

static void test_elf_refusals(void)
{
	struct buf b = { 0 };
	struct phdr ph;
	char *path;

	/* ELF header cut short */
	put_ehdr(&b, ET_CORE, EM_AARCH64, 0);
	path = write_file("elf-short", b.p, 40);
	expect_open_error("truncated ELF header", path, SDEI_ERROR_CORRUPT,
			  "'%s': truncated ELF header", path);
	free(path);

	b.p[EI_CLASS] = ELFCLASS32;
	path = write_buf("elf32", &b);
	expect_open_error("32-bit ELF", path, SDEI_ERROR_FORMAT,
			  "'%s': 32-bit ELF file, not an arm64 vmcore", path);
	free(path);
	b.p[EI_CLASS] = ELFCLASS64;

	b.p[EI_DATA] = ELFDATA2MSB;
	path = write_buf("elf-be", &b);
	expect_open_error("big-endian ELF", path, SDEI_ERROR_FORMAT,
			  "'%s': big-endian ELF file, not an arm64 vmcore",
			  path);
	free(path);
	b.p[EI_DATA] = ELFDATA2LSB;

	put16(&b, 16, ET_EXEC);
	path = write_buf("elf-exec", &b);
	expect_open_error("ET_EXEC", path, SDEI_ERROR_FORMAT,
			  "'%s': ELF file of type ET_EXEC, not a core dump",
			  path);
	free(path);
	put16(&b, 16, ET_CORE);

	put16(&b, 18, EM_X86_64);
	path = write_buf("elf-x86", &b);
	expect_open_error("x86_64 core", path, SDEI_ERROR_FORMAT,
			  "'%s': ELF core dump for x86_64, not arm64", path);
	free(path);
	put16(&b, 18, 4242);
	path = write_buf("elf-4242", &b);
	expect_open_error("unknown machine", path, SDEI_ERROR_FORMAT,
			  "'%s': ELF core dump for machine 4242, not arm64",
			  path);
	free(path);
	put16(&b, 18, EM_AARCH64);

	/* program headers */
	put16(&b, 56, 2);
	put16(&b, 54, 32);
	path = write_buf("elf-phentsize", &b);
	expect_open_error("bad e_phentsize", path, SDEI_ERROR_CORRUPT,
			  "'%s': bad ELF program header size 32", path);
	free(path);
	put16(&b, 54, sizeof(Elf64_Phdr));
	path = write_buf("elf-phdrs-eof", &b);
	expect_open_error("program headers past EOF", path,
			  SDEI_ERROR_CORRUPT,
			  "'%s': ELF program header table (offset 0x40, 2 entries) is past the end of the file",
			  path);
	free(path);

	ph = (struct phdr){ PT_NOTE, 0x100, 0, 0, 0x1000, 0x1000 };
	put_phdr(&b, 0, &ph);
	ph = (struct phdr){ PT_LOAD, 0x100, LINEAR, 0x40000000, 0, 0x1000 };
	put_phdr(&b, 1, &ph);
	buf_reserve(&b, 0x180);
	path = write_buf("elf-note-eof", &b);
	expect_open_error("PT_NOTE past EOF", path, SDEI_ERROR_CORRUPT,
			  "'%s': PT_NOTE segment (program header 0: offset 0x100, size 0x1000) ends past the end of the file (size 0x180)",
			  path);
	free(path);

	ph = (struct phdr){ PT_NOTE, 0x100, 0, 0, 0, 0 };
	put_phdr(&b, 0, &ph);
	ph = (struct phdr){ PT_LOAD, 0xfffffffffffff000ull, LINEAR,
			    0x40000000, 0x2000, 0x2000 };
	put_phdr(&b, 1, &ph);
	path = write_buf("elf-load-eof", &b);
	expect_open_error("PT_LOAD past EOF (offset overflow)", path,
			  SDEI_ERROR_CORRUPT,
			  "'%s': PT_LOAD segment (program header 1: offset 0xfffffffffffff000, size 0x2000) ends past the end of the file (size 0x180)",
			  path);
	free(path);

	ph = (struct phdr){ PT_LOAD, 0x100, LINEAR, 0x40000000, 0x80, 0x40 };
	put_phdr(&b, 1, &ph);
	path = write_buf("elf-filesz", &b);
	expect_open_error("p_filesz > p_memsz", path, SDEI_ERROR_CORRUPT,
			  "'%s': PT_LOAD segment (program header 1) has p_filesz 0x80 larger than p_memsz 0x40",
			  path);
	free(path);
	ph = (struct phdr){ PT_LOAD, 0x100, LINEAR, 0x40000000, 0x80, 0x80 };
	put_phdr(&b, 1, &ph);

	/* section headers: libkdumpfile trusts them */
	put16(&b, 60, 0x5500);		/* e_shnum without e_shoff */
	path = write_buf("elf-shnum-noshoff", &b);
	expect_open_error("e_shnum without e_shoff", path, SDEI_ERROR_CORRUPT,
			  "'%s': ELF header claims 21760 section headers but has no section header table",
			  path);
	free(path);
	put64(&b, 40, 0x100);		/* e_shoff */
	put16(&b, 58, 40);		/* e_shentsize */
	put16(&b, 60, 1);
	path = write_buf("elf-shentsize", &b);
	expect_open_error("bad e_shentsize", path, SDEI_ERROR_CORRUPT,
			  "'%s': bad ELF section header size 40", path);
	free(path);
	put16(&b, 58, sizeof(Elf64_Shdr));
	put16(&b, 60, 0);		/* count in section 0's sh_size */
	buf_reserve(&b, 0x140);
	put64(&b, 0x100 + 32, 100000);
	path = write_buf("elf-shnum", &b);
	expect_open_error("absurd section count", path, SDEI_ERROR_CORRUPT,
			  "'%s': absurd number of ELF section headers (100000)",
			  path);
	free(path);
	put64(&b, 0x100 + 32, 3);
	path = write_buf("elf-sh-eof", &b);
	expect_open_error("section headers past EOF", path,
			  SDEI_ERROR_CORRUPT,
			  "'%s': ELF section header table (offset 0x100, 3 entries) is past the end of the file",
			  path);
	free(path);
	put64(&b, 0x100 + 32, 2);
	put32(&b, 0x140 + 4, SHT_STRTAB);
	put64(&b, 0x140 + 24, 0x170);	/* sh_offset */
	put64(&b, 0x140 + 32, 0x100);	/* sh_size */
	path = write_buf("elf-sect-eof", &b);
	expect_open_error("section past EOF", path, SDEI_ERROR_CORRUPT,
			  "'%s': ELF section 1 (offset 0x170, size 0x100) is past the end of the file",
			  path);
	free(path);
	put64(&b, 0x140 + 32, 0x10);
	put(&b, 0x170, ".shstrtab\0abcdef", 16);
	put16(&b, 62, 1);		/* e_shstrndx */
	path = write_buf("elf-strtab", &b);
	expect_open_error("unterminated section names", path,
			  SDEI_ERROR_CORRUPT,
			  "'%s': ELF section name table is not NUL-terminated",
			  path);
	free(path);
	free(b.p);
}

/* An ELF dump with this note area and nothing else. */
static char *elf_with_notes(const char *name, const struct buf *notes)
{
	struct buf b = { 0 };
	struct phdr ph;
	char *path;

	put_ehdr(&b, ET_CORE, EM_AARCH64, 1);
	ph = (struct phdr){ PT_NOTE, NOTE_AT, 0, 0, notes->len, notes->len };
	put_phdr(&b, 0, &ph);
	buf_reserve(&b, NOTE_AT);
	put(&b, NOTE_AT, notes->p, notes->len);
	path = write_buf(name, &b);
	free(b.p);
	return path;
}

static void test_note_refusals(void)
{
	struct buf n = { 0 };
	char *path;

	add_note(&n, "CORE", NT_PRSTATUS, "12345678", 8);
	put32(&n, 28, 5);
	put32(&n, 32, 0x7fffffff);
	put32(&n, 36, 1);
	put(&n, 40, "CORE\0\0\0\0", 8);
	path = elf_with_notes("note-desc", &n);
	expect_open_error("descriptor size past the end", path,
			  SDEI_ERROR_CORRUPT,
			  "'%s': note at offset 0x%x: descriptor size 2147483647 runs past the end of the note segment",
			  path, NOTE_AT + 28);
	free(path);

	n.len = 28;
	put32(&n, 28, 0xffffffff);
	put32(&n, 32, 0);
	put32(&n, 36, 0);
	path = elf_with_notes("note-name", &n);
	expect_open_error("name size past the end (no wrap)", path,
			  SDEI_ERROR_CORRUPT,
			  "'%s': note at offset 0x%x: name size 4294967295 runs past the end of the note segment",
			  path, NOTE_AT + 28);
	free(path);

	n.len = 28;
	put32(&n, 28, 5);
	put32(&n, 32, 1);
	path = elf_with_notes("note-header", &n);
	expect_open_error("truncated note header", path, SDEI_ERROR_CORRUPT,
			  "'%s': truncated note header at offset 0x%x", path,
			  NOTE_AT + 28);
	free(path);
	free(n.p);
}

static void test_kdump_refusals(void)
{
	struct buf b = { 0 };
	char *path;

	make_kdump(&b, 6, 4096, 1, NULL);
	path = write_file("kdump-short", b.p, 300);
	expect_open_error("truncated kdump header", path, SDEI_ERROR_CORRUPT,
			  "'%s': truncated kdump header", path);
	free(path);

	put32(&b, 428, 4095);
	path = write_buf("kdump-bs", &b);
	expect_open_error("bad block_size", path, SDEI_ERROR_CORRUPT,
			  "'%s': bad kdump block size 4095", path);
	free(path);
	put32(&b, 428, 0);
	path = write_buf("kdump-bs0", &b);
	expect_open_error("zero block_size", path, SDEI_ERROR_CORRUPT,
			  "'%s': bad kdump block size 0", path);
	free(path);
	put32(&b, 428, 4096);

	put32(&b, 8, 3);
	path = write_buf("kdump-v3", &b);
	expect_open_error("header_version 3", path, SDEI_ERROR_FORMAT,
			  "'%s': kdump header version 3 has no note area (version 4 or later needed)",
			  path);
	free(path);
	put32(&b, 8, 6);

	put32(&b, 432, 0);
	path = write_buf("kdump-sub", &b);
	expect_open_error("sub_hdr_size 0", path, SDEI_ERROR_CORRUPT,
			  "'%s': bad kdump sub-header size 0 blocks", path);
	free(path);
	put32(&b, 432, 1);

	path = write_file("kdump-nosub", b.p, 4096);
	expect_open_error("no sub-header", path, SDEI_ERROR_CORRUPT,
			  "'%s': truncated kdump sub-header", path);
	free(path);

	path = write_file("kdump-bitmap", b.p, 3 * 4096);
	expect_open_error("bitmap past EOF", path, SDEI_ERROR_CORRUPT,
			  "'%s': truncated kdump bitmap (2 blocks at offset 0x2000, file size 0x3000)",
			  path);
	free(path);

	put64(&b, 4096 + 48, 0x3000);
	put64(&b, 4096 + 56, 0x2000);
	path = write_buf("kdump-notes", &b);
	expect_open_error("note area past EOF", path, SDEI_ERROR_CORRUPT,
			  "'%s': kdump note area (offset 0x3000, size 0x2000) ends past the end of the file (size 0x4000)",
			  path);
	free(path);
	put64(&b, 4096 + 56, 0);
	put64(&b, 4096 + 32, 0x3f00);
	put64(&b, 4096 + 40, 0x200);
	path = write_buf("kdump-vmcoreinfo", &b);
	expect_open_error("sub-header VMCOREINFO past EOF", path,
			  SDEI_ERROR_CORRUPT,
			  "'%s': kdump VMCOREINFO (offset 0x3f00, size 0x200) ends past the end of the file or is absurdly large",
			  path);
	free(path);
	put64(&b, 4096 + 40, 0);
	put64(&b, 4096 + 56, 1ull << 40);
	path = write_buf("kdump-notes-huge", &b);
	expect_open_error("absurd note area", path, SDEI_ERROR_CORRUPT,
			  "'%s': kdump note area of 1099511627776 bytes is absurdly large",
			  path);
	free(path);
	free(b.p);
}

/* ------------------------------------------------------------------ */
/* Good dumps                                                          */
/* ------------------------------------------------------------------ */

static void check_good_notes(const char *what, struct sdei_dump *dump,
			     uint64_t note_at, bool short_pr)
{
	const struct sdei_note *notes;
	const struct sdei_prstatus *pr;
	size_t nr, nr_pr, i;
	bool good;

	notes = sdei_dump_notes(dump, &nr);
	good = nr == 5;
	for (i = 0; good && i < 5; i++)
		good = notes[i].index == i &&
			notes[i].offset == note_at + note_offs[i];
	ok(good, "%s: 5 notes with indexes and file offsets", what);
	ok(nr == 5 && !strcmp(notes[1].name, "LINUX") &&
	   notes[1].namesz == 6 && notes[1].descsz == 5 &&
	   notes[1].type == 0x400 && !memcmp(notes[1].desc, "abcde", 5),
	   "%s: odd-sized note kept raw", what);
	ok(nr == 5 && !strcmp(notes[4].name, "VMCOREINFO") &&
	   notes[4].type == 0, "%s: VMCOREINFO note", what);

	pr = sdei_dump_prstatus(dump, &nr_pr);
	ok(nr_pr == 3, "%s: 3 PRSTATUS notes", what);
	if (nr_pr != 3)
		return;
	ok(pr[0].index == 0 && pr[0].note == &notes[0] && pr[0].pid == 7 &&
	   pr[0].complete && pr[0].regs[0] == 0x1000 &&
	   pr[0].regs[SDEI_REG_PC] == 0x1000 + SDEI_REG_PC &&
	   pr[0].regs[SDEI_REG_PSTATE] == 0x1000 + SDEI_REG_PSTATE,
	   "%s: PRSTATUS 0 decoded", what);
	ok(pr[1].index == 1 && pr[1].note == &notes[2] && pr[1].pid == 0 &&
	   pr[1].complete && pr[1].regs[SDEI_REG_SP] == 0x2000 + SDEI_REG_SP,
	   "%s: PRSTATUS 1 is the third note", what);
	if (short_pr)
		ok(pr[2].index == 2 && pr[2].note == &notes[3] &&
		   pr[2].pid == 42 && !pr[2].complete &&
		   pr[2].regs[9] == 0x3009 && pr[2].regs[10] == 0,
		   "%s: short PRSTATUS is incomplete", what);
	else
		ok(pr[2].index == 2 && pr[2].note == &notes[3] &&
		   pr[2].pid == 42 && pr[2].complete &&
		   pr[2].regs[SDEI_REG_PSTATE] == 0x3000 + SDEI_REG_PSTATE,
		   "%s: PRSTATUS 2 decoded", what);
	ok(sdei_dump_vmcoreinfo(dump) &&
	   !strcmp(sdei_dump_vmcoreinfo(dump), test_vmcoreinfo),
	   "%s: VMCOREINFO text", what);
}

static void expect_read_error(const char *what, struct sdei_dump *dump,
			      enum sdei_addr_space space, uint64_t addr,
			      size_t len, uint64_t fault, const char *msg)
{
	uint8_t buf[8192];
	struct sdei_error *err;

	memset(buf, 0x55, sizeof(buf));
	err = sdei_dump_read(dump, space, addr, buf, len);
	if (!ok(err && err->code == SDEI_ERROR_FAULT && err->address == fault &&
		(!msg || !strcmp(err->message, msg)), "%s", what)) {
		printf("#   expected: 0x%" PRIx64 " %s\n", fault,
		       msg ? msg : "(any)");
		if (err)
			printf("#   got:      %d 0x%" PRIx64 " %s\n", err->code,
			       err->address, err->message);
	}
	sdei_error_destroy(err);
}

static void test_good_elf(void)
{
	struct buf b = { 0 };
	struct sdei_dump *dump;
	struct sdei_error *err;
	char *path, *trace, *msg;
	uint8_t buf[64];
	char line[256];
	FILE *f;

	make_good_elf(&b, false);
	path = write_buf("good.elf", &b);
	if (asprintf(&trace, "%s/trace", tmpdir) < 0)
		abort();
	setenv("SDEI_VMCORE_TRACE", trace, 1);
	err = sdei_dump_open(path, &dump);
	unsetenv("SDEI_VMCORE_TRACE");
	if (!ok(!err, "good ELF opens")) {
		printf("#   %s\n", err->message);
		sdei_error_destroy(err);
		goto out;
	}
	ok(!strcmp(sdei_dump_format(dump), "elf") &&
	   !sdei_dump_compression(dump) &&
	   sdei_dump_header_nr_cpus(dump) == -1,
	   "ELF: format, no compression, no header nr_cpus");
	check_good_notes("ELF", dump, NOTE_AT, false);

	err = sdei_dump_read(dump, SDEI_KPHYSADDR, 0x41010, buf, 16);
	ok(!err && buf[0] == (uint8_t)(0x10 * 7 + 1) &&
	   buf[15] == (uint8_t)(0x1f * 7 + 1), "ELF: physical read");
	if (err)
		printf("#   %s\n", err->message);
	sdei_error_destroy(err);
	err = sdei_dump_read(dump, SDEI_KVADDR, LINEAR + 0x46ff8, buf, 8);
	ok(!err && buf[0] == (uint8_t)(0xa5 ^ 0xff8) &&
	   buf[7] == (uint8_t)(0xa5 ^ 0xfff), "ELF: virtual read (p_vaddr)");
	if (err)
		printf("#   %s\n", err->message);
	sdei_error_destroy(err);

	/* p_memsz beyond p_filesz: a filtered page, not zeros */
	if (asprintf(&msg, "'%s': physical address 0x42000 is not in the dump",
		     path) < 0)
		abort();
	expect_read_error("ELF: filtered page (p_memsz only) faults", dump,
			  SDEI_KPHYSADDR, 0x42000, 16, 0x42000, msg);
	free(msg);
	/* libkdumpfile 0.5.1 reads zeros here: a PT_LOAD starts a page up */
	if (asprintf(&msg, "'%s': physical address 0x45ff0 is not in the dump",
		     path) < 0)
		abort();
	expect_read_error("ELF: page below a present one faults", dump,
			  SDEI_KPHYSADDR, 0x45ff0, 16, 0x45ff0, msg);
	free(msg);
	/* no PT_LOAD p_vaddr: the (empty) page tables decide */
	expect_read_error("ELF: unmapped virtual address faults", dump,
			  SDEI_KVADDR, LINEAR + 0x45ff0, 16, LINEAR + 0x45ff0,
			  NULL);
	expect_read_error("ELF: read crossing into a missing page faults at the page",
			  dump, SDEI_KPHYSADDR, 0x41ff8, 16, 0x42000, NULL);
	expect_read_error("ELF: read ending in a present page still faults",
			  dump, SDEI_KPHYSADDR, 0x45ff8, 16, 0x45ff8, NULL);
	expect_read_error("ELF: wrapping range faults", dump, SDEI_KPHYSADDR,
			  UINT64_MAX - 3, 16, UINT64_MAX - 3, NULL);
	err = sdei_dump_read(dump, SDEI_KPHYSADDR, 0x41000, buf, 0);
	ok(!err, "ELF: empty read succeeds");
	sdei_error_destroy(err);
	sdei_dump_close(dump);

	f = fopen(trace, "r");
	ok(f && fgets(line, sizeof(line), f) && !strcmp(line, "P 0x41010 16\n") &&
	   fgets(line, sizeof(line), f) &&
	   !strcmp(line, "V 0xffff000000046ff8 8\n") &&
	   !fgets(line, sizeof(line), f),
	   "SDEI_VMCORE_TRACE: one line per successful read");
	if (f)
		fclose(f);
	unlink(trace);
out:
	free(trace);
	free(path);
	free(b.p);
}

/* Notes-only: no PT_LOAD. The dump opens; reads say why they cannot. */
static void test_notes_only(void)
{
	struct buf n = { 0 };
	struct sdei_dump *dump;
	struct sdei_error *err;
	uint8_t buf[8];
	char *path;

	make_notes(&n, true);
	path = elf_with_notes("notes-only.elf", &n);
	err = sdei_dump_open(path, &dump);
	if (ok(!err, "ELF without PT_LOAD opens (notes only)")) {
		check_good_notes("notes-only", dump, NOTE_AT, true);
		err = sdei_dump_read(dump, SDEI_KVADDR, LINEAR, buf, 8);
		ok(err && err->code == SDEI_ERROR_FAULT &&
		   err->address == LINEAR &&
		   strstr(err->message, "libkdumpfile cannot open the dump: "),
		   "notes-only: read explains why memory is unreadable");
		if (err)
			printf("#   %s\n", err->message);
		sdei_error_destroy(err);
		sdei_dump_close(dump);
	} else {
		printf("#   %s\n", err->message);
		sdei_error_destroy(err);
	}
	free(path);
	free(n.p);
}

/*
 * libkdumpfile 0.5.1 refuses a whole ELF dump for one PRSTATUS note of
 * the wrong size ("Wrong PRSTATUS size"); the notes stay readable.
 */
static void test_short_prstatus(void)
{
	struct buf b = { 0 };
	struct sdei_dump *dump;
	struct sdei_error *err;
	uint8_t buf[8];
	char *path, *msg;

	make_good_elf(&b, true);
	path = write_buf("short-pr.elf", &b);
	err = sdei_dump_open(path, &dump);
	if (ok(!err, "ELF with a short PRSTATUS opens")) {
		check_good_notes("short PRSTATUS", dump, NOTE_AT, true);
		if (asprintf(&msg, "'%s': cannot read physical address 0x41000: libkdumpfile cannot open the dump: Cannot set file.set.0.fd: Wrong PRSTATUS size: 192",
			     path) < 0)
			abort();
		expect_read_error("short PRSTATUS: reads say libkdumpfile refused",
				  dump, SDEI_KPHYSADDR, 0x41000, 8, 0x41000,
				  msg);
		free(msg);
		(void)buf;
		sdei_dump_close(dump);
	} else {
		printf("#   %s\n", err->message);
		sdei_error_destroy(err);
	}
	free(path);
	free(b.p);
}

/* Values libkdumpfile 0.5.1 crashes on are kept from it. */
static void test_bad_vmcoreinfo(void)
{
	static const char *const texts[] = {
		"OSRELEASE=6.1\nPAGESIZE=\n",
		"OSRELEASE=6.1\nPAGESIZE\n",
		"PAGESIZE=0",
		"PAGESIZE=1099511627776\n",
		"OSRELEASE=6.\n.0-50-cloud-arm64\n",
	};
	static const char *const shown[] = {
		"PAGESIZE=", "PAGESIZE=", "PAGESIZE=0",
		"PAGESIZE=1099511627776",
		"a key starting with '.' ('.0-50-cloud-arm64')",
	};
	struct buf b = { 0 }, n = { 0 };
	struct sdei_dump *dump;
	struct sdei_error *err;
	uint8_t buf[8];
	char *path, *msg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		n.len = 0;
		b.len = 0;
		add_note(&n, "VMCOREINFO", 0, texts[i], strlen(texts[i]));
		make_kdump(&b, 6, 4096, 1, &n);
		path = write_buf("pagesize.kdump", &b);
		err = sdei_dump_open(path, &dump);
		if (!ok(!err, "VMCOREINFO with %s: kdump still opens",
			shown[i])) {
			printf("#   %s\n", err->message);
			sdei_error_destroy(err);
			free(path);
			continue;
		}
		err = sdei_dump_read(dump, SDEI_KPHYSADDR, 0x40000000, buf, 8);
		if (asprintf(&msg, "'%s': cannot read physical address 0x40000000: memory is not read: VMCOREINFO has %s, which libkdumpfile %s cannot handle",
			     path, shown[i], KDUMPFILE_VERSION_STRING) < 0)
			abort();
		ok(err && err->code == SDEI_ERROR_FAULT &&
		   !strcmp(err->message, msg),
		   "VMCOREINFO with %s: reads say why", shown[i]);
		free(msg);
		if (err)
			printf("#   %s\n", err->message);
		sdei_error_destroy(err);
		sdei_dump_close(dump);
		free(path);
	}
	free(b.p);
	free(n.p);
}

static void test_good_kdump(void)
{
	struct buf b = { 0 }, n = { 0 };
	struct sdei_dump *dump;
	struct sdei_error *err;
	char *path;

	make_notes(&n, true);
	make_kdump(&b, 6, 4096, 0x20, &n);
	path = write_buf("good.kdump", &b);
	err = sdei_dump_open(path, &dump);
	if (ok(!err, "good kdump opens")) {
		ok(!strcmp(sdei_dump_format(dump), "kdump-compressed") &&
		   !strcmp(sdei_dump_compression(dump), "zstd") &&
		   sdei_dump_header_nr_cpus(dump) == 3,
		   "kdump: format, compression, header nr_cpus");
		check_good_notes("kdump", dump, 4096 + 104, true);
		sdei_dump_close(dump);
	} else {
		printf("#   %s\n", err->message);
		sdei_error_destroy(err);
	}
	free(path);
	free(n.p);
	free(b.p);
}

/* ------------------------------------------------------------------ */
/* Parsers on their own                                                */
/* ------------------------------------------------------------------ */

static void test_notes_parse(void)
{
	struct buf n = { 0 };
	struct sdei_note *notes = NULL;
	struct sdei_error *err;
	size_t nr = 0, alloc = 0;
	uint8_t *unaligned;
	struct sdei_prstatus p;

	make_notes(&n, true);
	/* trailing zeros: an unwritten crash_notes buffer */
	buf_reserve(&n, n.len + 424);
	unaligned = malloc(n.len + 1);
	memcpy(unaligned + 1, n.p, n.len);
	err = sdei_notes_parse("x", unaligned + 1, n.len, 0x1000, &notes,
			       &nr, &alloc);
	ok(!err && nr == 5 && notes[3].offset == 0x1000 + note_offs[3],
	   "notes parse from an unaligned buffer, zero tail ignored");
	sdei_error_destroy(err);
	if (nr == 5) {
		sdei_prstatus_decode(notes[0].desc, notes[0].descsz, &p);
		ok(p.complete && p.index == -1 && !p.note && p.pid == 7 &&
		   p.regs[SDEI_REG_LR] == 0x1000 + SDEI_REG_LR,
		   "PRSTATUS decodes from an odd address");
	}
	free(unaligned);

	/* a name longer than struct sdei_note's buffer is truncated */
	n.len = 0;
	add_note(&n, "AVERYLONGNOTENAME-XYZ", 3, "x", 1);
	err = sdei_notes_parse("x", n.p, n.len, 0, &notes, &nr, &alloc);
	ok(!err && nr == 6 && !strcmp(notes[5].name, "AVERYLONGNOTENA") &&
	   notes[5].namesz == 22 && notes[5].index == 5,
	   "long note name truncated, index continues");
	sdei_error_destroy(err);
	free(notes);
	free(n.p);
}

static void test_prstatus_decode(void)
{
	uint8_t desc[SDEI_PRSTATUS_SIZE + 1];
	struct sdei_prstatus p;

	make_prstatus(desc + 1, -5, 0xffff800008000000ull);
	sdei_prstatus_decode(desc + 1, SDEI_PRSTATUS_MIN, &p);
	ok(p.complete && p.pid == -5 &&
	   p.regs[SDEI_REG_PSTATE] == 0xffff800008000000ull + 33,
	   "prstatus: 384 bytes are complete");
	sdei_prstatus_decode(desc + 1, SDEI_PRSTATUS_MIN - 1, &p);
	ok(!p.complete && p.regs[SDEI_REG_PC] == 0xffff800008000000ull + 32 &&
	   p.regs[SDEI_REG_PSTATE] == 0, "prstatus: 383 bytes are not");
	sdei_prstatus_decode(desc + 1, 20, &p);
	ok(!p.complete && p.pid == 0 && p.regs[0] == 0,
	   "prstatus: too short for pr_pid");
}

static void test_vmcoreinfo_lookup(void)
{
	static const char vi[] =
		"OSRELEASE=6.1.0-50-cloud-arm64\n"
		"PAGESIZE=4096\n"
		"SYMBOL(swapper_pg_dir)=ffff800009a3c000\n"
		"NUMBER(VA_BITS_X)=1\n"
		"NUMBER(VA_BITS)=48\n"
		"NUMBER(kimage_voffset)=0xffff7fffc8000000\n"
		"NUMBER(neg)=-1\n"
		"EMPTY=\n"
		"BAD=12z\n"
		"KERNELOFFSET=1f0000";
	const char *v;
	size_t len;
	uint64_t n;

	v = sdei_vmcoreinfo_get(vi, "OSRELEASE", &len);
	ok(v && len == 20 && !strncmp(v, "6.1.0-50-cloud-arm64", len),
	   "vmcoreinfo_get: OSRELEASE");
	ok(!sdei_vmcoreinfo_get(vi, "OSREL", &len) &&
	   !sdei_vmcoreinfo_get(vi, "NUMBER", &len) &&
	   !sdei_vmcoreinfo_get(NULL, "PAGESIZE", &len),
	   "vmcoreinfo_get: whole keys only, NULL text");
	v = sdei_vmcoreinfo_get(vi, "KERNELOFFSET", &len);
	ok(v && len == 6, "vmcoreinfo_get: last line without newline");
	v = sdei_vmcoreinfo_get(vi, "EMPTY", &len);
	ok(v && len == 0, "vmcoreinfo_get: empty value");
	ok(sdei_vmcoreinfo_number(vi, "NUMBER(VA_BITS)", 0, &n) && n == 48,
	   "vmcoreinfo_number: decimal after a longer key");
	ok(sdei_vmcoreinfo_number(vi, "NUMBER(kimage_voffset)", 0, &n) &&
	   n == 0xffff7fffc8000000ull, "vmcoreinfo_number: 0x hex");
	ok(sdei_vmcoreinfo_number(vi, "SYMBOL(swapper_pg_dir)", 16, &n) &&
	   n == 0xffff800009a3c000ull, "vmcoreinfo_number: SYMBOL base 16");
	ok(sdei_vmcoreinfo_number(vi, "KERNELOFFSET", 16, &n) &&
	   n == 0x1f0000, "vmcoreinfo_number: KERNELOFFSET");
	ok(sdei_vmcoreinfo_number(vi, "NUMBER(neg)", 0, &n) &&
	   n == UINT64_MAX, "vmcoreinfo_number: negative");
	ok(!sdei_vmcoreinfo_number(vi, "EMPTY", 0, &n) &&
	   !sdei_vmcoreinfo_number(vi, "BAD", 0, &n) &&
	   !sdei_vmcoreinfo_number(vi, "MISSING", 0, &n),
	   "vmcoreinfo_number: empty, malformed, missing");
}

/* ------------------------------------------------------------------ */
/* Real dumps                                                          */
/* ------------------------------------------------------------------ */

static const char *realcores(void)
{
	static const char *const dirs[] = {
		"../shared/realcores", "/work/shared/realcores",
	};
	const char *env = getenv("SDEI_REALCORES");
	struct stat st;
	size_t i;

	if (env)
		return stat(env, &st) ? NULL : env;
	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!stat(dirs[i], &st))
			return dirs[i];
	return NULL;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void check_real(const char *what, const char *path,
		       const int32_t *pids, size_t nr_pids,
		       const char *release, bool read_mask)
{
	const struct sdei_prstatus *pr;
	struct sdei_dump *dump;
	struct sdei_error *err;
	const char *v;
	double t0, t1;
	size_t nr, len, i;
	bool good;
	uint8_t b;

	t0 = now_ms();
	err = sdei_dump_open(path, &dump);
	if (!ok(!err, "%s: opens", what)) {
		printf("#   %s\n", err->message);
		sdei_error_destroy(err);
		return;
	}
	pr = sdei_dump_prstatus(dump, &nr);
	t1 = now_ms();
	ok(t1 - t0 < 100, "%s: open + notes in %.1f ms", what, t1 - t0);
	good = nr == nr_pids;
	for (i = 0; good && i < nr; i++)
		good = pr[i].pid == pids[i] && pr[i].complete &&
			pr[i].index == (int)i;
	ok(good, "%s: %zu PRSTATUS notes with the expected pids", what,
	   nr_pids);
	v = sdei_vmcoreinfo_get(sdei_dump_vmcoreinfo(dump), "OSRELEASE",
				&len);
	ok(v && len == strlen(release) && !strncmp(v, release, len),
	   "%s: OSRELEASE %s", what, release);
	if (read_mask) {
		err = sdei_dump_read(dump, SDEI_KVADDR, 0xffff80000980e888ull,
				     &b, 1);
		ok(!err && b == 0xf, "%s: __cpu_online_mask reads 0xf", what);
		if (err)
			printf("#   %s\n", err->message);
		sdei_error_destroy(err);
		/* a filtered page: libkdumpfile's ELF reader gives zeros */
		err = sdei_dump_read(dump, SDEI_KVADDR, LINEAR, &b, 1);
		ok(err && err->code == SDEI_ERROR_FAULT &&
		   err->address == LINEAR,
		   "%s: filtered page at the start of the linear map faults",
		   what);
		if (err)
			printf("#   %s\n", err->message);
		sdei_error_destroy(err);
	}
	sdei_dump_close(dump);
}

/* The ELF and kdump twins must read alike where both hold the page. */
static void compare_twins(const char *elf, const char *kdump)
{
	static const uint64_t addrs[] = {
		0xffff80000980e888ull,	/* __cpu_online_mask */
		0xffff800009812f68ull,	/* __per_cpu_offset */
		0xffff800009a32f38ull,	/* crash_notes */
		0xffff00003fd7a000ull,	/* CPU 0's crash_notes buffer */
	};
	uint8_t a[SDEI_NOTE_BUF_SIZE], b[SDEI_NOTE_BUF_SIZE];
	struct sdei_dump *de, *dk;
	struct sdei_error *err;
	bool good = true;
	size_t i;

	err = sdei_dump_open(elf, &de);
	if (err) {
		sdei_error_destroy(err);
		return;
	}
	err = sdei_dump_open(kdump, &dk);
	if (err) {
		sdei_error_destroy(err);
		sdei_dump_close(de);
		return;
	}
	for (i = 0; good && i < ARRAY_SIZE(addrs); i++) {
		struct sdei_error *e1, *e2;

		e1 = sdei_dump_read(de, SDEI_KVADDR, addrs[i], a, sizeof(a));
		e2 = sdei_dump_read(dk, SDEI_KVADDR, addrs[i], b, sizeof(b));
		good = !e1 && !e2 && !memcmp(a, b, sizeof(a));
		if (!good)
			printf("#   0x%" PRIx64 ": %s / %s\n", addrs[i],
			       e1 ? e1->message : "ok", e2 ? e2->message : "ok");
		sdei_error_destroy(e1);
		sdei_error_destroy(e2);
	}
	ok(good, "vmcore-stuck: ELF and kdump read the same bytes");
	sdei_dump_close(de);
	sdei_dump_close(dk);
}

static void test_realcores(void)
{
	static const int32_t stuck[] = { 0, 214, 132 };
	static const int32_t deb[] = { 0, 180, 261, 181 };
	const char *dir = realcores();
	char *path, *xz, *elf, *cmd;
	struct stat st;

	if (!dir) {
		skip("no realcores directory (../shared/realcores)");
		return;
	}
	if (asprintf(&path, "%s/vmcore-stuck.kdump", dir) < 0)
		abort();
	check_real("vmcore-stuck.kdump", path, stuck, ARRAY_SIZE(stuck),
		   "6.1.0-50-cloud-arm64", true);
	free(path);
	if (asprintf(&path, "%s/vmcore-deb-baseline.kdump", dir) < 0)
		abort();
	check_real("vmcore-deb-baseline.kdump", path, deb, ARRAY_SIZE(deb),
		   "6.12.117+deb12-arm64", false);
	free(path);

	/* The ELF twin, decompressed once into tests/cache (ignored) */
	if (asprintf(&xz, "%s/vmcore-stuck.elf.xz", dir) < 0 ||
	    asprintf(&elf, "tests/cache/test-dump/vmcore-stuck.elf") < 0)
		abort();
	if (stat(elf, &st) && !stat(xz, &st) && !stat("tests/cache", &st)) {
		if (asprintf(&cmd, "mkdir -p tests/cache/test-dump && xz -dc '%s' > '%s.tmp' && mv '%s.tmp' '%s'",
			     xz, elf, elf, elf) < 0)
			abort();
		if (system(cmd))
			unlink(elf);
		free(cmd);
	}
	if (!stat(elf, &st)) {
		check_real("vmcore-stuck.elf", elf, stuck, ARRAY_SIZE(stuck),
			   "6.1.0-50-cloud-arm64", true);
		if (asprintf(&path, "%s/vmcore-stuck.kdump", dir) < 0)
			abort();
		compare_twins(elf, path);
		free(path);
	} else
		skip("vmcore-stuck.elf: cannot decompress into tests/cache");
	free(xz);
	free(elf);
}

static int rm_tmpdir(void)
{
	char *cmd;
	int ret;

	if (asprintf(&cmd, "rm -rf '%s'", tmpdir) < 0)
		return -1;
	ret = system(cmd);
	free(cmd);
	return ret;
}

int main(void)
{
	/* TAP lines must survive a sanitizer's exit */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_detection();
	test_elf_refusals();
	test_note_refusals();
	test_kdump_refusals();
	test_good_elf();
	test_notes_only();
	test_short_prstatus();
	test_bad_vmcoreinfo();
	test_good_kdump();
	test_notes_parse();
	test_prstatus_decode();
	test_vmcoreinfo_lookup();
	test_realcores();
	if (!getenv("TEST_DUMP_KEEP"))
		rm_tmpdir();
	printf("1..%d\n", nr_tests);
	return nr_failed ? 1 : 0;
}
