// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF vmcore, as /proc/vmcore or `makedumpfile -E` write it: ET_CORE,
 * EM_AARCH64, one PT_NOTE (the file notes in order, then VMCOREINFO),
 * a PT_LOAD for the kernel image at its kimage VA, and one PT_LOAD per
 * run of dumped RAM at its linear VA. Page data is written sparsely: all-
 * zero pages are holes, so a 1 TiB machine still gives a small file.
 */
#define GEN_INTERNAL
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

struct seg {
	uint64_t vaddr, paddr, size, offset;
};

static bool page_is_zero(const uint8_t *p, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t w = pwrite(fd, p, len, (off_t)off);

		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

static int add_seg(struct seg **segs, size_t *n, uint64_t vaddr,
		   uint64_t paddr, uint64_t size)
{
	struct seg *ns = realloc(*segs, (*n + 1) * sizeof(*ns));

	if (!ns)
		return -1;
	ns[*n].vaddr = vaddr;
	ns[*n].paddr = paddr;
	ns[*n].size = size;
	ns[*n].offset = 0;
	*segs = ns;
	(*n)++;
	return 0;
}

/* Write the pages of [paddr, paddr+size) that hold data at @off. */
static int write_seg_data(struct gen *g, int fd, const struct seg *s)
{
	uint64_t pa;

	for (pa = s->paddr; pa < s->paddr + s->size; pa += g->page_size) {
		struct gen_page *pg = gen_page_lookup(g, pa >> g->page_shift,
						      false);

		if (!gen_page_dumped(pg) ||
		    page_is_zero(pg->data, g->page_size))
			continue;
		if (pwrite_all(fd, pg->data, g->page_size,
			       s->offset + (pa - s->paddr)))
			return -1;
	}
	return 0;
}

int gen_write_elf(struct gen *g, const char *path)
{
	struct gen_page **pages = NULL;
	struct seg *segs = NULL;
	size_t npages = 0, nsegs = 0, i, j;
	uint64_t img_pfn0, img_pfn1, last = 0, off;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph = NULL;
	int fd = -1, ret = -1;

	if (gen_finalize(g) || gen_page_sorted(g, &pages, &npages))
		return -1;

	/*
	 * Image: from _text to its last dumped page, split only where a page
	 * was excluded; untouched image pages read as zero, as in kexec's
	 * kernel-text segment.
	 */
	img_pfn0 = g->p.kernel_phys >> g->page_shift;
	img_pfn1 = (g->p.kernel_phys + g->image_size) >> g->page_shift;
	for (i = 0; i < npages; i++)
		if (pages[i]->pfn >= img_pfn0 && pages[i]->pfn < img_pfn1 &&
		    gen_page_dumped(pages[i]))
			last = pages[i]->pfn + 1;
	if (last) {
		uint64_t start = img_pfn0, pfn;

		for (pfn = img_pfn0; pfn <= last; pfn++) {
			struct gen_page *pg = pfn < last ?
				gen_page_lookup(g, pfn, false) : NULL;
			bool cut = pfn == last ||
				   (pg && (pg->flags & GEN_PAGE_EXCLUDED));

			if (!cut)
				continue;
			if (pfn > start &&
			    add_seg(&segs, &nsegs,
				    (start << g->page_shift) +
				    g->l.kimage_voffset,
				    start << g->page_shift,
				    (pfn - start) << g->page_shift))
				goto out;
			start = pfn + 1;
		}
	}
	/* RAM: runs of consecutive dumped pages */
	for (i = 0; i < npages; i = j) {
		if (!gen_page_dumped(pages[i])) {
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < npages && gen_page_dumped(pages[j]) &&
		     pages[j]->pfn == pages[j - 1]->pfn + 1; j++)
			;
		{
			uint64_t pa = pages[i]->pfn << g->page_shift;

			if (add_seg(&segs, &nsegs, pa - g->p.phys_offset +
				    g->l.page_offset, pa,
				    (uint64_t)(j - i) << g->page_shift))
				goto out;
		}
	}

	ph = calloc(nsegs + 1, sizeof(*ph));
	if (!ph)
		goto out;
	off = sizeof(eh) + (nsegs + 1) * sizeof(*ph);
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = off;
	ph[0].p_filesz = ph[0].p_memsz = g->note_area_len;
	off = (off + g->note_area_len + g->page_size - 1) &
	      ~(g->page_size - 1);
	for (i = 0; i < nsegs; i++) {
		segs[i].offset = off;
		ph[i + 1].p_type = PT_LOAD;
		ph[i + 1].p_flags = PF_R | PF_W | PF_X;
		ph[i + 1].p_offset = off;
		ph[i + 1].p_vaddr = segs[i].vaddr;
		ph[i + 1].p_paddr = segs[i].paddr;
		ph[i + 1].p_filesz = ph[i + 1].p_memsz = segs[i].size;
		ph[i + 1].p_align = 0;
		off += segs[i].size;
	}

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (uint16_t)(nsegs + 1);
	if (nsegs + 1 >= PN_XNUM)
		goto out;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		goto out;
	if (pwrite_all(fd, &eh, sizeof(eh), 0) ||
	    pwrite_all(fd, ph, (nsegs + 1) * sizeof(*ph), sizeof(eh)) ||
	    (g->note_area_len &&
	     pwrite_all(fd, g->note_area, g->note_area_len, ph[0].p_offset)))
		goto out;
	for (i = 0; i < nsegs; i++)
		if (write_seg_data(g, fd, &segs[i]))
			goto out;
	if (ftruncate(fd, (off_t)off))
		goto out;
	ret = 0;
out:
	if (fd >= 0 && close(fd))
		ret = -1;
	free(ph);
	free(segs);
	free(pages);
	return ret;
}

int gen_write_dump(struct gen *g, const char *path, enum gen_format fmt,
		   enum gen_compress comp)
{
	switch (fmt) {
	case GEN_ELF:
		return gen_write_elf(g, path);
	case GEN_KDUMP:
		return gen_write_kdump(g, path, false, comp);
	case GEN_FLAT:
		return gen_write_kdump(g, path, true, comp);
	}
	return -1;
}
