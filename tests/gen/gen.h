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

/* ---- additions by the machine layer ------------------------------- */

/* kallsyms tables written into the image (`kallsyms all|text|none`). */
enum gen_kallsyms { GEN_KALLSYMS_ALL, GEN_KALLSYMS_TEXT, GEN_KALLSYMS_NONE };
/* The kernel model's default for its family; a `kallsyms` line wins. */
void gen_kallsyms_default(struct gen *g, enum gen_kallsyms mode);

/* The fixed virtual layout (valid after gen_layout(); runtime VAs). */
struct gen_layout {
	uint64_t page_offset;		/* linear map: PA phys_offset */
	uint64_t text, stext, etext;	/* _text, _stext, _etext */
	uint64_t end;			/* _end */
	uint64_t kimage_voffset;	/* VA - PA inside the image */
	uint64_t modules_vaddr, modules_end;
	uint64_t vmalloc_start, vmalloc_end;
	uint64_t vmemmap_start, vmemmap_end;
	uint64_t vmalloc_base;		/* first gen_alloc_vmalloc() VA */
	uint64_t swapper_pg_dir, init_uts_ns;
};
const struct gen_layout *gen_get_layout(struct gen *g);

/* A symbol with a known size (vmlinux st_size). */
int gen_symbol_sized(struct gen *g, const char *name, uint64_t va,
		     char type, uint64_t size);
/* Read back memory by kernel VA; never-written bytes read as zero. */
int gen_read(struct gen *g, uint64_t va, void *buf, size_t len);
/* Raw access by physical address (the page must be in RAM). */
int gen_write_phys(struct gen *g, uint64_t pa, const void *buf, size_t len);

/*
 * Optional hook, called by scenario.c for every kernel-model line before
 * gen_layout() (in file order), so the model may set gen_params (e.g.
 * kimage_vaddr for 6.1) while they can still change. kernel_directive()
 * is still called for the same line afterwards. Define it in kernel.c
 * if needed; the weak declaration lets the generator link without it.
 */
int kernel_configure(struct gen *g, const char *verb, char **argv, int argc,
		     char *err, size_t errlen) __attribute__((weak));

/*
 * Struct layouts shared by the kernel model (which writes these objects)
 * and the stand-in vmlinux's DWARF (dwarf-out.c, which describes them).
 * struct pt_regs is the layout of KERNEL.md §5: <= 6.12, or 6.13+ (u32 pmr at
 * 284, a {0, 0, type} stackframe at 296) for `kernel 6.13`. The task_struct
 * offsets are those of a Debian 6.12 arm64 build; irq_desc's is a choice.
 */
#define GEN_PT_REGS_SIZE	336
#define GEN_TASK_STATE		24	/* unsigned int __state */
#define GEN_TASK_STACK		32	/* void *stack */
#define GEN_TASK_PID		976	/* pid_t pid */
#define GEN_TASK_TGID		980	/* pid_t tgid */
#define GEN_TASK_SIZE		4096
#define GEN_IRQ_DESC_HANDLE_IRQ	96	/* irq_flow_handler_t handle_irq */
#define GEN_IRQ_DESC_KSTAT_IRQS	104	/* per-CPU counter pointer */
#define GEN_IRQ_DESC_ACTION	112
#define GEN_IRQ_DESC_SIZE	256
/* v6.10+: per-CPU struct irqstat { cnt, ref }; before: unsigned int */
#define GEN_IRQSTAT_SIZE	8

/* dwarf-out.c: .debug_abbrev and .debug_info for the stand-in vmlinux. */
struct gen_dwarf {
	uint8_t *abbrev, *info;
	size_t abbrev_len, info_len;
};
int gen_build_dwarf(struct gen *g, struct gen_dwarf *d);
void gen_dwarf_free(struct gen_dwarf *d);

/* Scenario and command line (scenario.c). */
int gen_run_scenario(struct gen *g, const char *path, char *err,
		     size_t errlen);

#ifdef GEN_INTERNAL
/*
 * Machine internals shared by the machine-layer files (machine.c,
 * pagetable.c, kallsyms-out.c, the writers). The kernel model does not
 * define GEN_INTERNAL and sees struct gen as opaque.
 */
#include <stdio.h>

#define GEN_PAGE_EXCLUDED	0x1

struct gen_page {
	uint64_t pfn;
	uint8_t *data;			/* page_size bytes, NULL = free slot */
	unsigned int flags;
};

struct gen_vmap {
	uint64_t va, pa;		/* one page */
};

struct gen_sym {
	char *name;
	uint64_t va;			/* runtime VA (KASLR applied) */
	uint64_t size;
	char type;
};

struct gen_vline {
	char *key, *value;		/* value NULL: drop the key */
};

struct gen {
	struct gen_params p;
	bool laid_out, finalized;
	unsigned int page_shift;
	uint64_t page_size;
	struct gen_layout l;

	/* allocators */
	uint64_t text_next, rodata, rodata_next, rodata_end;
	uint64_t data, data_next, data_end;
	uint64_t image_size;		/* bytes from _text to _end */
	uint64_t phys_top, phys_floor;	/* top-down physical allocator */
	uint64_t vmalloc_next;

	/* sparse physical memory */
	struct gen_page *pages;
	size_t npages, cap;

	struct gen_vmap *vmap;
	size_t nvmap, capvmap;

	struct gen_sym *syms;
	size_t nsyms, capsyms;

	/* VMCOREINFO: model lines, scenario overrides, final text */
	struct gen_vline *vmodel, *vuser;
	size_t nvmodel, nvuser;
	bool vmci_omit;
	char *vmcoreinfo;

	/* file notes in order; the VMCOREINFO note is appended at write */
	uint8_t *notes;
	size_t notes_len;
	uint8_t *note_area;		/* notes + VMCOREINFO note */
	size_t note_area_len;
	size_t vmci_desc_off;		/* VMCOREINFO desc inside note_area */
	size_t vmci_desc_len;

	enum gen_kallsyms kallsyms;
	bool kallsyms_set;
	uint8_t build_id[20];
	uint64_t crashtime;
	bool kdump_nr_cpus_set;		/* kdump-nr-cpus: forge the header */
	int32_t kdump_nr_cpus;
	unsigned int nr_prstatus;
};

/* machine.c */
struct gen_page *gen_page_lookup(struct gen *g, uint64_t pfn, bool create);
int gen_page_sorted(struct gen *g, struct gen_page ***out, size_t *n);
uint64_t gen_alloc_phys(struct gen *g, uint64_t size, uint64_t align);
uint64_t gen_alloc_rodata(struct gen *g, uint64_t size, uint64_t align,
			  const char *sym);
int gen_finalize(struct gen *g);
bool gen_page_dumped(const struct gen_page *pg);
uint64_t gen_link_addr(struct gen *g, uint64_t va);
void gen_set_kallsyms(struct gen *g, enum gen_kallsyms mode);
int gen_vmcoreinfo_user(struct gen *g, const char *key, const char *value);
int gen_set_release(struct gen *g, const char *release);
/* pagetable.c */
int gen_build_page_tables(struct gen *g);
/* kallsyms-out.c */
int gen_build_kallsyms(struct gen *g);
/* write-kdump.c */
struct gen_out {
	int fd;
	bool flat;			/* flattened records */
	uint64_t end;			/* end of the data written */
};
int gen_out_write(struct gen_out *o, uint64_t off, const void *buf,
		  size_t len);
int gen_write_kdump(struct gen *g, const char *path, bool flat,
		    enum gen_compress comp);
/* write-elf.c */
int gen_write_elf(struct gen *g, const char *path);
#endif /* GEN_INTERNAL */

#endif /* MKVMCORE_GEN_H */
