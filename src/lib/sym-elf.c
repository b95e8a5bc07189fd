// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmlinux: the ELF .symtab through libelf, its GNU build ID checked
 * against VMCOREINFO's BUILD-ID. Types (DWARF through libdw) can be added
 * behind the same table later: it keeps the path.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sym.h"

#ifndef EM_AARCH64
#define EM_AARCH64 183
#endif
#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

static struct sdei_error *elf_error(const char *path, const char *call)
{
	return sdei_error_create(SDEI_ERROR_FORMAT, "'%s': %s: %s", path,
				 call, elf_errmsg(-1));
}

/* nm's letter from the section a symbol is defined in, and its binding */
static char elf_type(GElf_Sym *sym, const GElf_Shdr *shdr)
{
	int bind = GELF_ST_BIND(sym->st_info);
	int stt = GELF_ST_TYPE(sym->st_info);
	char c;

	if (shdr->sh_flags & SHF_EXECINSTR)
		c = 't';
	else if (shdr->sh_type == SHT_NOBITS)
		c = 'b';
	else if (shdr->sh_flags & SHF_WRITE)
		c = 'd';
	else
		c = 'r';
	if (bind == STB_WEAK)
		return stt == STT_OBJECT ? 'V' : (c == 't' ? 'W' : 'V');
	if (bind != STB_LOCAL)
		c = (char)(c - 'a' + 'A');
	return c;
}

static void find_build_id(Elf *elf, char *hex, size_t hexlen)
{
	Elf_Scn *scn = NULL;

	hex[0] = '\0';
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nhdr;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nhdr, &name_off,
					   &desc_off)) > 0) {
			const uint8_t *d = (const uint8_t *)data->d_buf;

			if (nhdr.n_type != NT_GNU_BUILD_ID ||
			    nhdr.n_namesz != 4 ||
			    memcmp(d + name_off, "GNU", 4) ||
			    !nhdr.n_descsz || nhdr.n_descsz * 2 >= hexlen)
				continue;
			for (size_t i = 0; i < nhdr.n_descsz; i++)
				snprintf(hex + 2 * i, 3, "%02x",
					 d[desc_off + i]);
			return;
		}
	}
}

static struct sdei_error *check_build_id(const char *path, const char *have,
					 const char *vmcoreinfo)
{
	const char *want;
	size_t len;

	want = sdei_sym_vmci_get(vmcoreinfo, "BUILD-ID", &len);
	while (want && len && (want[len - 1] == '\r' || want[len - 1] == ' '))
		len--;
	/* Nothing to compare with: the SYMBOL() check still applies. */
	if (!want || !len || !have[0])
		return NULL;
	if (strlen(have) == len && !strncasecmp(have, want, len))
		return NULL;
	return sdei_error_create(SDEI_ERROR_MISMATCH,
		"'%s' does not match the dump: BUILD-ID is %.*s in the dump but %s in the file",
		path, (int)len, want, have);
}

static struct sdei_error *load_symtab(struct sdei_symtab *tab, Elf *elf,
				      const char *path)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr symshdr, *shdrs = NULL;
	struct sdei_error *err = NULL;
	size_t nsec, nsyms;
	Elf_Data *data;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;

		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == SHT_SYMTAB) {
			symscn = scn;
			symshdr = shdr;
			break;
		}
	}
	if (!symscn)
		return sdei_error_create(SDEI_ERROR_FORMAT,
					 "'%s' has no symbol table (stripped?)",
					 path);
	if (elf_getshdrnum(elf, &nsec) < 0)
		return elf_error(path, "elf_getshdrnum");
	/* section headers once: flags decide each symbol's type letter */
	shdrs = calloc(nsec ? nsec : 1, sizeof(*shdrs));
	if (!shdrs)
		return &sdei_error_nomem;
	for (size_t i = 1; i < nsec; i++) {
		scn = elf_getscn(elf, i);
		if (!scn || !gelf_getshdr(scn, &shdrs[i]))
			memset(&shdrs[i], 0, sizeof(shdrs[i]));
	}
	data = elf_getdata(symscn, NULL);
	if (!data) {
		err = elf_error(path, "elf_getdata");
		goto out;
	}
	nsyms = symshdr.sh_entsize ? data->d_size / symshdr.sh_entsize : 0;
	for (size_t i = 1; i < nsyms; i++) {
		GElf_Sym sym;
		const char *name;
		int stt;
		char type;

		if (!gelf_getsym(data, (int)i, &sym))
			continue;
		stt = GELF_ST_TYPE(sym.st_info);
		if (stt == STT_SECTION || stt == STT_FILE ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS ||
		    sym.st_shndx >= nsec)
			continue;
		if (!(shdrs[sym.st_shndx].sh_flags & SHF_ALLOC))
			continue;
		name = elf_strptr(elf, symshdr.sh_link, sym.st_name);
		if (!name)
			continue;
		type = elf_type(&sym, &shdrs[sym.st_shndx]);
		if (!sdei_sym_wanted(type, name, strlen(name)))
			continue;
		err = sdei_sym_add(tab, name, strlen(name), type,
				   sym.st_value);
		if (err)
			goto out;
	}
out:
	free(shdrs);
	return err;
}

struct sdei_error *sdei_symtab_from_vmlinux(const char *path,
					    const char *vmcoreinfo,
					    struct sdei_symtab **ret)
{
	struct sdei_symtab *tab = NULL;
	struct sdei_error *err;
	GElf_Ehdr ehdr;
	Elf *elf;
	int fd;

	*ret = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return sdei_error_create(SDEI_ERROR_OTHER,
					 "libelf: %s", elf_errmsg(-1));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sdei_error_errno(errno, "'%s'", path);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf) {
		err = elf_error(path, "elf_begin");
		goto out_close;
	}
	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr)) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"'%s' is not an ELF file", path);
		goto out_end;
	}
	if (ehdr.e_ident[EI_CLASS] != ELFCLASS64 ||
	    ehdr.e_ident[EI_DATA] != ELFDATA2LSB ||
	    ehdr.e_machine != EM_AARCH64) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
			"'%s' is not a little-endian arm64 vmlinux (ELF machine %u)",
			path, (unsigned int)ehdr.e_machine);
		goto out_end;
	}
	/* a relocatable arm64 kernel is linked -pie: ET_DYN */
	if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
			"'%s' is not a vmlinux (ELF type %u, not an executable)",
			path, (unsigned int)ehdr.e_type);
		goto out_end;
	}
	tab = sdei_sym_create(SDEI_SYMSRC_VMLINUX);
	if (!tab) {
		err = &sdei_error_nomem;
		goto out_end;
	}
	tab->path = strdup(path);
	if (!tab->path || asprintf(&tab->describe, "vmlinux '%s'", path) < 0) {
		tab->describe = NULL;
		err = &sdei_error_nomem;
		goto out_end;
	}
	find_build_id(elf, tab->build_id, sizeof(tab->build_id));
	err = check_build_id(path, tab->build_id, vmcoreinfo);
	if (err)
		goto out_end;
	err = sdei_sym_hot_init(tab, vmcoreinfo);
	if (err)
		goto out_end;
	err = load_symtab(tab, elf, path);
	if (err)
		goto out_end;
	err = sdei_sym_finish(tab, false);
	if (err) {
		err = sdei_error_prefix(err, "'%s'", path);
		goto out_end;
	}
	sdei_sym_relocate(tab, sdei_sym_kaslr_offset(vmcoreinfo));
	err = sdei_sym_check_vmcoreinfo(tab, vmcoreinfo, path, "the file");
out_end:
	elf_end(elf);
out_close:
	close(fd);
	if (err) {
		sdei_symtab_destroy(tab);
		return err;
	}
	*ret = tab;
	return NULL;
}
