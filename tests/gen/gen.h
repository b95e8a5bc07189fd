/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkvmcore - writes arm64 vmcores (ELF, kdump-compressed, flattened) from a
 * short text scenario. Two layers:
 *
 *  - the machine (machine.c, pagetable.c, write-elf.c, write-kdump.c,
 *    symbols-out.c): physical memory, the kernel's virtual layout, arm64
 *    page tables at swapper_pg_dir, VMCOREINFO, the note area, System.map,
 *    a stand-in vmlinux, kallsyms tables in memory;
 *  - the kernel model (kernel.c): what each stop path leaves in memory
 *    (crash_notes, masks, __irq_regs, pt_regs, stacks, SDEI events, …),
 *    built only through the machine API below.
 *
 * scenario.c parses the text and drives both; main.c is the command line.
 */
#ifndef MKVMCORE_GEN_H
#define MKVMCORE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gen;

/* ---- machine.c: memory model ------------------------------------- */

/* Layout parameters; set before gen_layout(). */
struct gen_params {
	unsigned int page_size;		/* 4096, 16384, 65536 */
	unsigned int va_bits;		/* 48 (what TCR_EL1.T1SZ says) */
	unsigned int vmcoreinfo_va_bits;/* NUMBER(VA_BITS); 0 = va_bits */
	uint64_t phys_offset;		/* start of RAM, 0x40000000 */
	uint64_t ram_size;		/* bytes of RAM (may be huge: sparse) */
	uint64_t kaslr;			/* KERNELOFFSET */
	uint64_t kimage_vaddr;		/* _text without KASLR */
	uint64_t kernel_phys;		/* where _text sits in RAM */
	char release[65];		/* OSRELEASE / uts release */
	unsigned int version;		/* KERNEL_VERSION(a,b,c) style a<<16|b<<8|c */
};

struct gen *gen_create(void);
void gen_destroy(struct gen *g);
struct gen_params *gen_params(struct gen *g);

/* Fixes the layout: reserves the kernel image, swapper_pg_dir, … */
int gen_layout(struct gen *g);

/*
 * Allocations. Each returns the kernel VA of a zeroed, naturally reachable
 * object, or 0 on failure:
 *  - kimage: inside the kernel image (.data/.bss), reachable through the
 *    kimage mapping; @sym (if not NULL) becomes a System.map data symbol;
 *  - linear: in the linear map (per-CPU areas, slab objects);
 *  - vmalloc: a fresh virtual range mapped page by page to physical pages
 *    *only* through the page tables (stacks with VMAP_STACK).
 */
uint64_t gen_alloc_kimage(struct gen *g, uint64_t size, uint64_t align,
			  const char *sym);
uint64_t gen_alloc_linear(struct gen *g, uint64_t size, uint64_t align);
uint64_t gen_alloc_vmalloc(struct gen *g, uint64_t size);

/* A text symbol at a fixed place in kernel text (no memory written). */
uint64_t gen_text_symbol(struct gen *g, const char *name, uint64_t size);
/* Any symbol, for System.map/vmlinux/kallsyms; type is 'T','t','D','d','B','b','R','r'. */
int gen_symbol(struct gen *g, const char *name, uint64_t va, char type);
/* Look up a symbol added so far; 0 if absent. */
uint64_t gen_symbol_addr(struct gen *g, const char *name);

/* Memory contents by kernel VA (any mapped VA: kimage, linear, vmalloc). */
int gen_write(struct gen *g, uint64_t va, const void *buf, size_t len);
int gen_write_u64(struct gen *g, uint64_t va, uint64_t val);
int gen_write_u32(struct gen *g, uint64_t va, uint32_t val);
/* Physical address of a kernel VA, or ~0 if unmapped. */
uint64_t gen_va_to_pa(struct gen *g, uint64_t va);

/* Leave the page holding @va out of the dump (filtered, as makedumpfile would). */
int gen_exclude_page(struct gen *g, uint64_t va);

/* ---- VMCOREINFO and notes ---------------------------------------- */

/* Set (replace) a VMCOREINFO line; value NULL removes the key. */
int gen_vmcoreinfo_set(struct gen *g, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Drop the VMCOREINFO note altogether. */
void gen_vmcoreinfo_omit(struct gen *g);

/* Append a note to the dump file's note area (in order). */
int gen_file_note(struct gen *g, const char *name, uint32_t type,
		  const void *desc, size_t len);

/* ---- kernel.c: the kernel model ---------------------------------- */

/* Scenario verbs reach the kernel model through these. */
int kernel_directive(struct gen *g, const char *verb, char **argv, int argc,
		     char *err, size_t errlen);
/* Called once after the whole scenario is read, before writing. */
int kernel_finish(struct gen *g, char *err, size_t errlen);

/* ---- outputs ----------------------------------------------------- */

enum gen_format { GEN_ELF, GEN_KDUMP, GEN_FLAT };
enum gen_compress { GEN_ZLIB, GEN_LZO, GEN_SNAPPY, GEN_ZSTD, GEN_NONE };

int gen_write_dump(struct gen *g, const char *path, enum gen_format fmt,
		   enum gen_compress comp);
int gen_write_system_map(struct gen *g, const char *path);
int gen_write_vmlinux(struct gen *g, const char *path);

#endif /* MKVMCORE_GEN_H */
