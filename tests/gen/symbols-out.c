// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * System.map (`nm -n` style) and a stand-in vmlinux: an ELF64 aarch64
 * ET_EXEC with .symtab/.strtab, a .note.gnu.build-id matching the dump's
 * BUILD-ID and DWARF for the structs the analysis reads (dwarf-out.c).
 * Both use link-time addresses: KASLR is not applied, the dump's
 * KERNELOFFSET tells the reader how far the kernel moved.
 */
#define GEN_INTERNAL
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

struct msym {
	uint64_t addr;
	const struct gen_sym *s;
};

static int msym_cmp(const void *a, const void *b)
{
	const struct msym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->s->name, y->s->name);
}

static struct msym *sorted_syms(struct gen *g)
{
	struct msym *m = calloc(g->nsyms + 1, sizeof(*m));
	size_t i;

	if (!m)
		return NULL;
	for (i = 0; i < g->nsyms; i++) {
		m[i].addr = gen_link_addr(g, g->syms[i].va);
		m[i].s = &g->syms[i];
	}
	qsort(m, g->nsyms, sizeof(*m), msym_cmp);
	return m;
}

int gen_write_system_map(struct gen *g, const char *path)
{
	struct msym *m;
	FILE *f;
	size_t i;
	int ret = 0;

	if (gen_finalize(g))
		return -1;
	m = sorted_syms(g);
	if (!m)
		return -1;
	f = fopen(path, "w");
	if (!f) {
		free(m);
		return -1;
	}
	for (i = 0; i < g->nsyms; i++)
		fprintf(f, "%016llx %c %s\n", (unsigned long long)m[i].addr,
			m[i].s->type, m[i].s->name);
	if (fclose(f))
		ret = -1;
	free(m);
	return ret;
}

/* ---- stand-in vmlinux --------------------------------------------- */

enum { SEC_NULL, SEC_TEXT, SEC_RODATA, SEC_DATA, SEC_BSS, SEC_NOTE,
       SEC_DEBUG_ABBREV, SEC_DEBUG_INFO, SEC_SYMTAB, SEC_STRTAB,
       SEC_SHSTRTAB, SEC_NUM };

struct buf {
	uint8_t *b;
	size_t len;
};

static int bput(struct buf *o, const void *d, size_t n)
{
	uint8_t *nb = realloc(o->b, o->len + n + 1);

	if (!nb)
		return -1;
	memcpy(nb + o->len, d, n);
	o->b = nb;
	o->len += n;
	return 0;
}

static int bpad(struct buf *o, size_t a)
{
	static const uint8_t z[16];

	return bput(o, z, (a - (o->len % a)) % a);
}

static int sec_of(char type)
{
	switch (type) {
	case 'T': case 't': case 'W': case 'w':
		return SEC_TEXT;
	case 'R': case 'r':
		return SEC_RODATA;
	case 'B': case 'b':
		return SEC_BSS;
	default:
		return SEC_DATA;
	}
}

int gen_write_vmlinux(struct gen *g, const char *path)
{
	static const char *const secname[SEC_NUM] = {
		"", ".text", ".rodata", ".data", ".bss", ".note.gnu.build-id",
		".debug_abbrev", ".debug_info", ".symtab", ".strtab",
		".shstrtab",
	};
	uint32_t shname[SEC_NUM];
	struct buf shstr = { 0 };
	struct gen_dwarf dw = { 0 };
	uint64_t link_text = g->l.text - g->p.kaslr;
	uint64_t sec_addr[SEC_NUM] = { 0 }, sec_size[SEC_NUM] = { 0 };
	struct buf out = { 0 }, sym = { 0 }, str = { 0 }, note = { 0 };
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	Elf64_Shdr sh[SEC_NUM];
	Elf64_Sym es;
	struct msym *m = NULL;
	size_t i, off_note, off_abbrev, off_info, off_sym, off_str, off_shstr;
	size_t off_sh, nlocal = 1;
	uint32_t nh[3] = { 4, 20, NT_GNU_BUILD_ID };
	FILE *f = NULL;
	int pass, ret = -1;

	if (gen_finalize(g))
		return -1;
	m = sorted_syms(g);
	if (!m)
		goto out;

	sec_addr[SEC_TEXT] = link_text;
	sec_size[SEC_TEXT] = g->l.etext - g->l.text;
	sec_addr[SEC_RODATA] = g->rodata - g->p.kaslr;
	sec_size[SEC_RODATA] = g->rodata_end - g->rodata;
	sec_addr[SEC_DATA] = g->data - g->p.kaslr;
	sec_size[SEC_DATA] = g->data_end - g->data;
	sec_addr[SEC_BSS] = g->l.end - g->p.kaslr;

	if (bput(&note, nh, sizeof(nh)) || bput(&note, "GNU", 4) ||
	    bput(&note, g->build_id, 20))
		goto out;
	for (i = 0; i < SEC_NUM; i++) {
		shname[i] = (uint32_t)shstr.len;
		if (bput(&shstr, secname[i], strlen(secname[i]) + 1))
			goto out;
	}
	if (gen_build_dwarf(g, &dw))
		goto out;

	/* symtab: null, then locals (t, d, b, r), then globals */
	memset(&es, 0, sizeof(es));
	if (bput(&sym, &es, sizeof(es)) || bput(&str, "", 1))
		goto out;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < g->nsyms; i++) {
			const struct gen_sym *s = m[i].s;
			bool local = s->type >= 'a' && s->type <= 'z' &&
				     s->type != 'w';
			int sec = sec_of(s->type);

			if (local != (pass == 0))
				continue;
			memset(&es, 0, sizeof(es));
			es.st_name = (uint32_t)str.len;
			es.st_value = m[i].addr;
			es.st_size = s->size;
			es.st_shndx = (uint16_t)sec;
			es.st_info = ELF64_ST_INFO(
				local ? STB_LOCAL :
				(s->type == 'W' || s->type == 'w') ?
				STB_WEAK : STB_GLOBAL,
				sec == SEC_TEXT ? STT_FUNC : STT_OBJECT);
			if (!strcmp(s->name, "_text") ||
			    !strcmp(s->name, "_stext") ||
			    !strcmp(s->name, "_etext") ||
			    !strcmp(s->name, "_end"))
				es.st_info = ELF64_ST_INFO(STB_GLOBAL,
							   STT_NOTYPE);
			if (bput(&sym, &es, sizeof(es)) ||
			    bput(&str, s->name, strlen(s->name) + 1))
				goto out;
			if (pass == 0)
				nlocal++;
		}
	}

	/*
	 * file: ehdr, one PT_NOTE phdr, note, .debug_abbrev, .debug_info,
	 * symtab, strtab, shstrtab, shdrs
	 */
	off_note = sizeof(eh) + sizeof(ph);
	off_abbrev = off_note + note.len;
	off_info = off_abbrev + dw.abbrev_len;
	off_sym = (off_info + dw.info_len + 7) & ~(size_t)7;
	off_str = off_sym + sym.len;
	off_shstr = off_str + str.len;
	off_sh = (off_shstr + shstr.len + 7) & ~(size_t)7;

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = link_text;
	eh.e_phoff = sizeof(eh);
	eh.e_shoff = off_sh;
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = SEC_NUM;
	eh.e_shstrndx = SEC_SHSTRTAB;

	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_NOTE;
	ph.p_offset = off_note;
	ph.p_filesz = note.len;
	ph.p_align = 4;

	memset(sh, 0, sizeof(sh));
	for (i = SEC_TEXT; i <= SEC_BSS; i++) {
		sh[i].sh_name = shname[i];
		sh[i].sh_type = SHT_NOBITS;	/* no contents: symbols only */
		sh[i].sh_flags = SHF_ALLOC | (i == SEC_TEXT ? SHF_EXECINSTR :
			i == SEC_RODATA ? 0 : SHF_WRITE);
		sh[i].sh_addr = sec_addr[i];
		sh[i].sh_offset = off_note;
		sh[i].sh_size = sec_size[i];
		sh[i].sh_addralign = 8;
	}
	sh[SEC_NOTE].sh_name = shname[SEC_NOTE];
	sh[SEC_NOTE].sh_type = SHT_NOTE;
	sh[SEC_NOTE].sh_flags = SHF_ALLOC;
	sh[SEC_NOTE].sh_offset = off_note;
	sh[SEC_NOTE].sh_size = note.len;
	sh[SEC_NOTE].sh_addralign = 4;
	sh[SEC_DEBUG_ABBREV].sh_name = shname[SEC_DEBUG_ABBREV];
	sh[SEC_DEBUG_ABBREV].sh_type = SHT_PROGBITS;
	sh[SEC_DEBUG_ABBREV].sh_offset = off_abbrev;
	sh[SEC_DEBUG_ABBREV].sh_size = dw.abbrev_len;
	sh[SEC_DEBUG_ABBREV].sh_addralign = 1;
	sh[SEC_DEBUG_INFO].sh_name = shname[SEC_DEBUG_INFO];
	sh[SEC_DEBUG_INFO].sh_type = SHT_PROGBITS;
	sh[SEC_DEBUG_INFO].sh_offset = off_info;
	sh[SEC_DEBUG_INFO].sh_size = dw.info_len;
	sh[SEC_DEBUG_INFO].sh_addralign = 1;
	sh[SEC_SYMTAB].sh_name = shname[SEC_SYMTAB];
	sh[SEC_SYMTAB].sh_type = SHT_SYMTAB;
	sh[SEC_SYMTAB].sh_offset = off_sym;
	sh[SEC_SYMTAB].sh_size = sym.len;
	sh[SEC_SYMTAB].sh_link = SEC_STRTAB;
	sh[SEC_SYMTAB].sh_info = (uint32_t)nlocal;
	sh[SEC_SYMTAB].sh_addralign = 8;
	sh[SEC_SYMTAB].sh_entsize = sizeof(Elf64_Sym);
	sh[SEC_STRTAB].sh_name = shname[SEC_STRTAB];
	sh[SEC_STRTAB].sh_type = SHT_STRTAB;
	sh[SEC_STRTAB].sh_offset = off_str;
	sh[SEC_STRTAB].sh_size = str.len;
	sh[SEC_STRTAB].sh_addralign = 1;
	sh[SEC_SHSTRTAB].sh_name = shname[SEC_SHSTRTAB];
	sh[SEC_SHSTRTAB].sh_type = SHT_STRTAB;
	sh[SEC_SHSTRTAB].sh_offset = off_shstr;
	sh[SEC_SHSTRTAB].sh_size = shstr.len;
	sh[SEC_SHSTRTAB].sh_addralign = 1;

	if (bput(&out, &eh, sizeof(eh)) || bput(&out, &ph, sizeof(ph)) ||
	    bput(&out, note.b, note.len) ||
	    bput(&out, dw.abbrev, dw.abbrev_len) ||
	    bput(&out, dw.info, dw.info_len) || bpad(&out, 8) ||
	    bput(&out, sym.b, sym.len) || bput(&out, str.b, str.len) ||
	    bput(&out, shstr.b, shstr.len) || bpad(&out, 8) ||
	    bput(&out, sh, sizeof(sh)))
		goto out;
	f = fopen(path, "wb");
	if (!f)
		goto out;
	if (fwrite(out.b, 1, out.len, f) != out.len)
		goto out;
	ret = 0;
out:
	if (f && fclose(f))
		ret = -1;
	free(m);
	free(out.b);
	free(sym.b);
	free(str.b);
	free(note.b);
	free(shstr.b);
	gen_dwarf_free(&dw);
	return ret;
}
