// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The analysis: per-CPU truth from dump memory, then one verdict per CPU
 * with its evidence. The rules come from the kernel (KERNEL.md §1–§7);
 * every verdict that is not proven by memory is "unknown" with a reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PT_REGS_SIZE		336
#define PT_REGS_CMP		272	/* regs[31], sp, pc, pstate */
#define PT_REGS_PMR_SAVE	296	/* u64, <= 6.12 */
#define PT_REGS_PMR		284	/* u32, 6.13+ */
#define PT_REGS_STACKFRAME_613	296	/* {0, 0, type}, 6.13+ */
#define GIC_PRIO_IRQON		0xe0
#define GIC_PRIO_PSR_I_SET	0x10
#define MAX_CPU_IDS		65536

enum buf_state { BUF_UNREAD, BUF_EMPTY, BUF_NOTE, BUF_CORRUPT };

struct cpu_state {
	bool present, online, active;
	uint64_t offset;		/* __per_cpu_offset[cpu] */
	uint64_t buf_addr;		/* its crash_notes buffer */
	enum buf_state buf;
	char why[160];			/* for BUF_UNREAD / BUF_CORRUPT */
	bool buf_dirty;			/* empty, but not all zero */
	struct sdei_prstatus mem;	/* decoded buffer */
	uint8_t desc[SDEI_PRSTATUS_SIZE];
	int file;			/* matching file note, -1 */
	bool file_differs;		/* a file note has its pc/sp/pid only */
	uint64_t irq_stack, sdei_stack[2];
};

struct stack_range {
	uint64_t lo;
	unsigned int cpu;
	const char *kind;
};

struct ctx {
	const struct sdei_target *t;
	const struct sdei_options *opts;
	struct sdei_report *r;
	struct sdei_error *err;		/* sticky: out of memory only */
	int major, minor;		/* kernel version, 0 if unknown */
	/* per-CPU truth; NULL when it could not be had */
	struct cpu_state *cpus;
	unsigned int nr_cpu_ids;
	uint64_t *possible;
	int panic_cpu;
	bool panic_known;
	char nocpus_why[256];
	/* per file note */
	char **note_problem;		/* notes-level reason, or NULL */
	int *note_cpu;			/* mapped CPU, -1 */
	uint64_t thread_size, page_size, pacmask;
	struct stack_range *stacks;	/* every CPU's IRQ/SDEI stack, sorted */
	size_t nr_stacks;
	int pnmi;			/* 1 on, 0 off, -1 unknown */
	bool pnmi_gic_off;		/* asked for, but the GIC said no */
	uint64_t meta_off;		/* pt_regs.stackframe, 6.13+; else 0 */
	/* the kernel log's stop lines */
	struct sdei_log log;
	uint64_t *failed, *nmi_retry, *sdei_retry;	/* CPUs they list */
};

static void vfact(struct ctx *c, struct sdei_facts *f, const char *key,
		  const char *fmt, va_list ap)
{
	char buf[512];

	if (c->err)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	c->err = sdei_facts_add(f, key, "%s", buf);
}

static void __attribute__((format(printf, 4, 5)))
fact(struct ctx *c, struct sdei_facts *f, const char *key, const char *fmt,
     ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfact(c, f, key, fmt, ap);
	va_end(ap);
}

/*
 * With -v: where a fact came from, once. Per-CPU lookups repeat for every
 * CPU; 4096 copies of one line would tell a person nothing more.
 */
static void __attribute__((format(printf, 3, 4)))
source(struct ctx *c, const char *key, const char *fmt, ...)
{
	struct sdei_facts *f = &c->r->sources;
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < f->nr; i++)
		if (!strcmp(f->v[i].key, key) && !strcmp(f->v[i].value, buf))
			return;
	fact(c, f, key, "%s", buf);
}

static bool sym(struct ctx *c, const char *name, uint64_t *ret)
{
	if (!c->t->symtab || !sdei_symtab_lookup(c->t->symtab, name, ret))
		return false;
	if (c->opts->verbose)
		source(c, name, "0x%016llx (%s)",
		     (unsigned long long)*ret,
		     sdei_symtab_describe(c->t->symtab));
	return true;
}

/* A struct member's offset (and size) from the target's types, if any. */
static bool member(struct ctx *c, const char *type, const char *name,
		   uint64_t *off, uint64_t *size)
{
	uint64_t sz;

	if (!c->t->member ||
	    !c->t->member(c->t->types_arg, type, name, off, size ? size : &sz))
		return false;
	if (c->opts->verbose)
		source(c, "type", "%s.%s at offset %llu (%s)",
		     type, name ? name : "", (unsigned long long)*off,
		     c->t->types_desc ? c->t->types_desc : "types");
	return true;
}

static struct sdei_error *rd(struct ctx *c, uint64_t va, void *buf,
			     size_t len)
{
	return c->t->read(c->t->arg, SDEI_KVADDR, va, buf, len);
}

/* Reads a u64 (or u32) at va; on failure writes the reason to why. */
static bool rd_u64(struct ctx *c, uint64_t va, uint64_t *ret, char *why,
		   size_t whylen)
{
	uint8_t b[8];
	struct sdei_error *err = rd(c, va, b, 8);

	if (err) {
		if (why)
			snprintf(why, whylen, "%s", err->message);
		sdei_error_destroy(err);
		return false;
	}
	*ret = sdei_le64(b);
	return true;
}

static const char *symbolize(struct ctx *c, uint64_t addr, char *buf,
			     size_t len)
{
	uint64_t off;
	const char *s = c->t->symtab ?
		sdei_symtab_symbolize(c->t->symtab, addr, &off) : NULL;

	if (!s)
		return NULL;
	snprintf(buf, len, "%s+0x%llx", s, (unsigned long long)off);
	return buf;
}

/* The function a pc is in, if the symbol table can say. */
static const char *func_of(struct ctx *c, uint64_t pc)
{
	uint64_t off;

	return c->t->symtab ? sdei_symtab_symbolize(c->t->symtab, pc, &off) :
			      NULL;
}

static bool test_bit(const uint64_t *map, unsigned int bit)
{
	return map[bit / 64] >> (bit % 64) & 1;
}

static bool version_at_least(const struct ctx *c, int major, int minor)
{
	return c->major > major || (c->major == major && c->minor >= minor);
}

/* ---- notes alone ------------------------------------------------- */

static int pstate_el(uint64_t pstate)
{
	unsigned int m = pstate & 0x1f;

	if (m & 0x10)
		return m == 0x10 ? 0 : -1;
	switch (m) {
	case 0x0: return 0;
	case 0x4: case 0x5: return 1;
	case 0x8: case 0x9: return 2;
	case 0xc: case 0xd: return 3;
	default: return -1;
	}
}

static bool is_kernel_va(uint64_t a)
{
	return a >> 48 == 0xffff;
}

/* What the note alone proves wrong with a frame, or NULL. */
static const char *frame_problem(const struct sdei_prstatus *p, char *buf,
				 size_t len)
{
	uint64_t pstate = p->regs[SDEI_REG_PSTATE];
	uint64_t pc = p->regs[SDEI_REG_PC], sp = p->regs[SDEI_REG_SP];
	char mode[24];
	bool zero = true;
	int el;

	if (!p->complete)
		return "descriptor too short to hold the registers";
	for (int i = 0; i < SDEI_NR_REGS; i++)
		zero &= !p->regs[i];
	if (zero)
		return "all registers are zero";
	if (!pc && !sp)
		return "sp and pc are 0 (crash: \"cannot determine starting stack frame\")";
	el = pstate_el(pstate);
	if (pstate >> 32) {
		snprintf(buf, len, "pstate 0x%llx has bits above 31 set",
			 (unsigned long long)pstate);
		return buf;
	}
	if (el < 0 || el == 3) {
		snprintf(buf, len, "impossible pstate mode %s",
			 sdei_pstate_mode(pstate, mode, sizeof(mode)));
		return buf;
	}
	if ((pstate & 0x10) && (pc >> 32 || sp >> 32))
		return "AArch32 user mode with registers beyond 32 bits";
	if (el == 0 && (is_kernel_va(pc) || is_kernel_va(sp)))
		return "user mode (EL0) with a kernel pc or sp (crash: \"corrupt NT_PRSTATUS?\")";
	return NULL;
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

struct hashed {
	uint64_t h;
	size_t note;
};

static int cmp_hashed(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->note < y->note ? -1 : x->note > y->note;
}

/* Runs of equal keys: only those pairs need comparing (4096 CPUs). */
static struct hashed *sorted_keys(const struct sdei_target *t, bool by_pid,
				  size_t *nr_ret)
{
	struct hashed *v = calloc(t->nr_notes + 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < t->nr_notes; i++) {
		const struct sdei_prstatus *p = &t->notes[i];

		if (by_pid && p->pid) {
			v[n].h = (uint32_t)p->pid;
			v[n++].note = i;
		} else if (!by_pid && p->note) {
			v[n].h = fnv(p->note->desc, p->note->descsz) ^
				 p->note->descsz;
			v[n++].note = i;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_hashed);
	*nr_ret = n;
	return v;
}

static bool same_desc(const struct sdei_prstatus *a,
		      const struct sdei_prstatus *b)
{
	return a->note && b->note && a->note->descsz == b->note->descsz &&
	       !memcmp(a->note->desc, b->note->desc, a->note->descsz);
}

static void check_duplicates(struct ctx *c)
{
	const struct sdei_target *t = c->t;
	struct hashed *v;
	size_t n;

	for (int by_pid = 0; by_pid <= 1 && !c->err; by_pid++) {
		v = sorted_keys(t, by_pid, &n);
		if (!v) {
			c->err = &sdei_error_nomem;
			return;
		}
		for (size_t a = 0; a < n; a++) {
			for (size_t b = a + 1; b < n && v[b].h == v[a].h; b++) {
				size_t i = v[a].note, j = v[b].note;
				bool same = same_desc(&t->notes[i],
						      &t->notes[j]);

				if (!by_pid && same) {
					fact(c, &c->r->findings,
					     "duplicate_note",
					     "note #%zu is a byte-for-byte copy of note #%zu",
					     j, i);
					if (!c->note_problem[j])
						c->note_problem[j] = strdup(
							"byte-for-byte copy of an earlier note");
				} else if (by_pid && !same) {
					fact(c, &c->r->findings,
					     "duplicate_pid",
					     "notes #%zu and #%zu both name pid %d",
					     i, j, t->notes[i].pid);
				}
			}
		}
		free(v);
	}
}

static void check_notes(struct ctx *c)
{
	const struct sdei_target *t = c->t;
	char buf[160];

	c->note_problem = calloc(t->nr_notes + 1, sizeof(*c->note_problem));
	c->note_cpu = calloc(t->nr_notes + 1, sizeof(*c->note_cpu));
	if (!c->note_problem || !c->note_cpu) {
		c->err = &sdei_error_nomem;
		return;
	}
	for (size_t i = 0; i < t->nr_notes; i++) {
		const struct sdei_prstatus *p = &t->notes[i];
		const char *why = frame_problem(p, buf, sizeof(buf));

		c->note_cpu[i] = -1;
		if (p->note && p->note->descsz != SDEI_PRSTATUS_SIZE)
			fact(c, &c->r->findings, "note_size",
			     "note #%zu: descsz %u, expected %u", i,
			     p->note->descsz, SDEI_PRSTATUS_SIZE);
		if (why && !(c->note_problem[i] = strdup(why)))
			c->err = &sdei_error_nomem;
	}
	/* Byte-identical notes: two CPUs cannot have saved one frame. */
	check_duplicates(c);
	if (t->all_notes) {
		for (size_t i = 0; i < t->nr_all_notes; i++) {
			const struct sdei_note *n = &t->all_notes[i];

			if (!strcmp(n->name, "CORE") &&
			    n->type == SDEI_NT_PRSTATUS)
				continue;
			if (!strcmp(n->name, "VMCOREINFO") ||
			    !strcmp(n->name, "CORE") ||
			    !strcmp(n->name, "LINUX"))
				continue;
			fact(c, &c->r->findings, "unexpected_note",
			     "note #%u of the note area: name '%s' type %u is not a kdump note",
			     n->index, n->name, n->type);
		}
	}
	if (!t->nr_notes)
		fact(c, &c->r->findings, "no_prstatus",
		     "the dump holds no NT_PRSTATUS note");
	if (!t->vmcoreinfo)
		fact(c, &c->r->findings, "no_vmcoreinfo",
		     "the dump holds no VMCOREINFO note: memory cannot be read");
	if (t->header_nr_cpus >= 0 &&
	    (size_t)t->header_nr_cpus != t->nr_notes)
		fact(c, &c->r->findings, "header_nr_cpus",
		     "kdump header says nr_cpus %d but the dump holds %zu NT_PRSTATUS notes (makedumpfile counts notes, not CPUs)",
		     t->header_nr_cpus, t->nr_notes);
}

/* ---- per-CPU truth ------------------------------------------------ */

static void nocpus(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void nocpus(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->nocpus_why, sizeof(c->nocpus_why), fmt, ap);
	va_end(ap);
	free(c->cpus);
	c->cpus = NULL;
}

static bool read_mask(struct ctx *c, const char *name, uint64_t **ret)
{
	size_t words = (c->nr_cpu_ids + 63) / 64;
	struct sdei_error *err;
	uint64_t addr;
	uint8_t *raw;

	*ret = NULL;
	if (!sym(c, name, &addr))
		return false;
	raw = malloc(words * 8);
	*ret = calloc(words, 8);
	if (!raw || !*ret) {
		free(raw);
		c->err = &sdei_error_nomem;
		return false;
	}
	err = rd(c, addr, raw, words * 8);
	if (err) {
		sdei_error_destroy(err);
		free(raw);
		free(*ret);
		*ret = NULL;
		return false;
	}
	for (size_t i = 0; i < words; i++)
		(*ret)[i] = sdei_le64(raw + 8 * i);
	free(raw);
	return true;
}

/* Maps each CPU's buffer to the file note with the same bytes. */
static void map_notes(struct ctx *c)
{
	const struct sdei_target *t = c->t;
	struct hashed *idx = calloc(t->nr_notes + 1, sizeof(*idx));
	bool *used = calloc(t->nr_notes + 1, sizeof(*used));
	size_t n = 0;

	if (!idx || !used) {
		c->err = &sdei_error_nomem;
		goto out;
	}
	for (size_t i = 0; i < t->nr_notes; i++) {
		const struct sdei_note *note = t->notes[i].note;

		if (!note || note->descsz != SDEI_PRSTATUS_SIZE)
			continue;
		idx[n].h = fnv(note->desc, SDEI_PRSTATUS_SIZE);
		idx[n++].note = i;
	}
	if (n)
		qsort(idx, n, sizeof(*idx), cmp_hashed);
	for (unsigned int cpu = 0; cpu < c->nr_cpu_ids; cpu++) {
		struct cpu_state *s = &c->cpus[cpu];
		struct hashed key;
		size_t lo = 0, hi = n;

		s->file = -1;
		if (s->buf != BUF_NOTE)
			continue;
		key.h = fnv(s->desc, SDEI_PRSTATUS_SIZE);
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (idx[mid].h < key.h)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < n && idx[lo].h == key.h; lo++) {
			size_t k = idx[lo].note;

			if (used[k] || memcmp(t->notes[k].note->desc, s->desc,
					      SDEI_PRSTATUS_SIZE))
				continue;
			used[k] = true;
			s->file = (int)k;
			c->note_cpu[k] = (int)cpu;
			break;
		}
	}
	/* A file note with this CPU's pid and pc or sp, but other bytes. */
	for (unsigned int cpu = 0; cpu < c->nr_cpu_ids; cpu++) {
		struct cpu_state *s = &c->cpus[cpu];

		if (s->buf != BUF_NOTE || s->file >= 0)
			continue;
		for (size_t k = 0; k < t->nr_notes; k++) {
			const struct sdei_prstatus *p = &t->notes[k];

			if (used[k] || p->pid != s->mem.pid ||
			    (p->regs[SDEI_REG_PC] != s->mem.regs[SDEI_REG_PC] &&
			     p->regs[SDEI_REG_SP] != s->mem.regs[SDEI_REG_SP]))
				continue;
			used[k] = true;
			s->file = (int)k;
			s->file_differs = true;
			c->note_cpu[k] = (int)cpu;
			break;
		}
	}
out:
	free(idx);
	free(used);
}

static void read_buffer(struct ctx *c, struct cpu_state *s, uint64_t cn)
{
	uint8_t b[SDEI_NOTE_BUF_SIZE];
	struct sdei_error *err;
	uint32_t namesz, descsz, type;

	s->buf_addr = cn + s->offset;
	err = rd(c, s->buf_addr, b, sizeof(b));
	if (err) {
		s->buf = BUF_UNREAD;
		snprintf(s->why, sizeof(s->why), "%s", err->message);
		sdei_error_destroy(err);
		return;
	}
	namesz = sdei_le32(b);
	descsz = sdei_le32(b + 4);
	type = sdei_le32(b + 8);
	if (!namesz) {
		/* The kernel's own test: the capture kernel stops here too. */
		s->buf = BUF_EMPTY;
		for (size_t i = 0; i < sizeof(b); i++)
			s->buf_dirty |= b[i] != 0;
		return;
	}
	s->buf = BUF_CORRUPT;
	if (namesz != 5 || memcmp(b + 12, "CORE", 5)) {
		snprintf(s->why, sizeof(s->why),
			 "note name is not 'CORE' (n_namesz %u)", namesz);
		return;
	}
	if (type != SDEI_NT_PRSTATUS) {
		snprintf(s->why, sizeof(s->why),
			 "note type %u is not NT_PRSTATUS", type);
		return;
	}
	if (descsz != SDEI_PRSTATUS_SIZE) {
		snprintf(s->why, sizeof(s->why),
			 "note descsz %u is not %u", descsz,
			 SDEI_PRSTATUS_SIZE);
		return;
	}
	s->buf = BUF_NOTE;
	memcpy(s->desc, b + 20, SDEI_PRSTATUS_SIZE);
	sdei_prstatus_decode(s->desc, SDEI_PRSTATUS_SIZE, &s->mem);
}

static void load_cpus(struct ctx *c)
{
	uint64_t a_off, a_cn, a_nr, cn, nr, v, a_panic;
	uint64_t *online = NULL, *present = NULL, *active = NULL;
	const char *missing = NULL;
	char why[200];
	uint8_t *offs = NULL;
	struct sdei_error *err;

	if (!c->t->symtab) {
		snprintf(c->nocpus_why, sizeof(c->nocpus_why),
			 "no symbols (%s): CPU numbers cannot be read from memory and note order proves nothing",
			 c->t->symtab_why ? c->t->symtab_why : "none given");
		return;
	}
	if (!sym(c, "__per_cpu_offset", &a_off))
		missing = "__per_cpu_offset";
	else if (!sym(c, "crash_notes", &a_cn))
		missing = "crash_notes";
	else if (!sym(c, "nr_cpu_ids", &a_nr))
		missing = "nr_cpu_ids";
	if (missing) {
		snprintf(c->nocpus_why, sizeof(c->nocpus_why),
			 "symbol '%s' is not in %s%s", missing,
			 sdei_symtab_describe(c->t->symtab),
			 sdei_symtab_has_data(c->t->symtab) ? "" :
			 sdei_symtab_source(c->t->symtab) == SDEI_SYMSRC_KALLSYMS ?
			 " (text symbols only: the kernel lacks CONFIG_KALLSYMS_ALL; give --system-map or --vmlinux)" :
			 " (it holds text symbols only)");
		return;
	}
	if (!c->t->vmcoreinfo) {
		snprintf(c->nocpus_why, sizeof(c->nocpus_why),
			 "no VMCOREINFO: dump memory cannot be translated");
		return;
	}
	if (!rd_u64(c, a_nr, &nr, why, sizeof(why))) {
		snprintf(c->nocpus_why, sizeof(c->nocpus_why),
			 "nr_cpu_ids cannot be read: %s", why);
		return;
	}
	nr &= 0xffffffff;
	if (!nr || nr > MAX_CPU_IDS) {
		snprintf(c->nocpus_why, sizeof(c->nocpus_why),
			 "nr_cpu_ids is %llu: memory is corrupt",
			 (unsigned long long)nr);
		return;
	}
	c->nr_cpu_ids = (unsigned int)nr;
	if (!rd_u64(c, a_cn, &cn, why, sizeof(why))) {
		snprintf(c->nocpus_why, sizeof(c->nocpus_why),
			 "crash_notes cannot be read: %s", why);
		return;
	}
	if (!cn) {
		snprintf(c->nocpus_why, sizeof(c->nocpus_why),
			 "crash_notes is NULL: the kernel never allocated the note buffers");
		return;
	}
	if (!read_mask(c, "__cpu_possible_mask", &c->possible)) {
		snprintf(c->nocpus_why, sizeof(c->nocpus_why),
			 "__cpu_possible_mask cannot be read");
		return;
	}
	read_mask(c, "__cpu_online_mask", &online);
	read_mask(c, "__cpu_present_mask", &present);
	read_mask(c, "__cpu_active_mask", &active);
	if (!online) {
		snprintf(c->nocpus_why, sizeof(c->nocpus_why),
			 "__cpu_online_mask cannot be read");
		goto out;
	}
	offs = malloc(nr * 8);
	c->cpus = calloc(nr, sizeof(*c->cpus));
	if (!offs || !c->cpus) {
		c->err = &sdei_error_nomem;
		goto out;
	}
	err = rd(c, a_off, offs, nr * 8);
	if (err) {
		nocpus(c, "__per_cpu_offset cannot be read: %s", err->message);
		sdei_error_destroy(err);
		goto out;
	}
	if (sym(c, "panic_cpu", &a_panic) && rd_u64(c, a_panic, &v, NULL, 0)) {
		c->panic_cpu = (int32_t)(uint32_t)v;
		c->panic_known = true;
	}
	for (unsigned int cpu = 0; cpu < nr; cpu++) {
		struct cpu_state *s = &c->cpus[cpu];

		s->file = -1;
		if (!test_bit(c->possible, cpu))
			continue;
		s->offset = sdei_le64(offs + 8 * cpu);
		s->online = test_bit(online, cpu);
		s->present = present ? test_bit(present, cpu) : true;
		s->active = active ? test_bit(active, cpu) : s->online;
		read_buffer(c, s, cn);
	}
	map_notes(c);
out:
	free(offs);
	free(online);
	free(present);
	free(active);
}

/* ---- stacks and frames ------------------------------------------- */

/* Per-CPU pointer variable of a CPU; 0 when absent or unreadable. */
static uint64_t percpu_ptr(struct ctx *c, const char *name,
			   const struct cpu_state *s, bool *found)
{
	uint64_t a, v;

	*found = false;
	if (!sym(c, name, &a) || !rd_u64(c, a + s->offset, &v, NULL, 0))
		return 0;
	*found = true;
	return v;
}

static void load_stacks(struct ctx *c)
{
	uint64_t a;
	bool f;

	/* THREAD_SIZE: 16K, doubled by KASAN, at least a page (VMAP) */
	if (!sdei_vmcoreinfo_number(c->t->vmcoreinfo, "PAGESIZE", 10,
				    &c->page_size) || !c->page_size ||
	    c->page_size & (c->page_size - 1))
		c->page_size = 4096;
	c->thread_size = 16384;
	if (sym(c, "kasan_init", &a) || sym(c, "__asan_load8", &a))
		c->thread_size = 32768;
	if (c->thread_size < c->page_size)
		c->thread_size = c->page_size;
	if (!sdei_vmcoreinfo_number(c->t->vmcoreinfo, "NUMBER(KERNELPACMASK)",
				    16, &c->pacmask))
		c->pacmask = 0;
	for (unsigned int cpu = 0; cpu < c->nr_cpu_ids; cpu++) {
		struct cpu_state *s = &c->cpus[cpu];

		if (!test_bit(c->possible, cpu))
			continue;
		s->irq_stack = percpu_ptr(c, "irq_stack_ptr", s, &f);
		s->sdei_stack[0] = percpu_ptr(c, "sdei_stack_normal_ptr", s,
					      &f);
		s->sdei_stack[1] = percpu_ptr(c, "sdei_stack_critical_ptr",
					      s, &f);
	}
}

static bool on_stack(uint64_t base, uint64_t size, uint64_t sp)
{
	return base && sp >= base && sp <= base + size;
}

static int cmp_stack(const void *a, const void *b)
{
	const struct stack_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Index of every CPU's per-CPU stacks: one lookup per note, not n. */
static void index_stacks(struct ctx *c)
{
	size_t n = 0;

	c->stacks = calloc(3 * (size_t)c->nr_cpu_ids + 1, sizeof(*c->stacks));
	if (!c->stacks) {
		c->err = &sdei_error_nomem;
		return;
	}
	for (unsigned int cpu = 0; cpu < c->nr_cpu_ids; cpu++) {
		const struct cpu_state *s = &c->cpus[cpu];
		const uint64_t lo[3] = {
			s->irq_stack, s->sdei_stack[0], s->sdei_stack[1],
		};

		for (int k = 0; k < 3; k++) {
			if (!lo[k])
				continue;
			c->stacks[n].lo = lo[k];
			c->stacks[n].cpu = cpu;
			c->stacks[n++].kind = k ? "SDEI" : "IRQ";
		}
	}
	if (n)
		qsort(c->stacks, n, sizeof(*c->stacks), cmp_stack);
	c->nr_stacks = n;
}

/* Which per-CPU stack holds sp: "IRQ", "SDEI" or NULL; *owner = CPU. */
static const char *stack_of(struct ctx *c, uint64_t sp, int *owner)
{
	size_t lo = 0, hi = c->nr_stacks;

	*owner = -1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->stacks[mid].lo <= sp)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the last stack starting at or below sp, and its neighbours */
	for (size_t i = lo; i-- > 0;) {
		if (!on_stack(c->stacks[i].lo, c->thread_size, sp))
			break;
		*owner = (int)c->stacks[i].cpu;
		return c->stacks[i].kind;
	}
	return NULL;
}

/* First register where a pt_regs differs from the frame, or -1. */
static int regs_differ(const uint8_t *ptregs, const uint64_t *regs)
{
	for (int i = 0; i < SDEI_NR_REGS; i++)
		if (sdei_le64(ptregs + 8 * i) != regs[i])
			return i;
	return -1;
}

static const char *reg_name(int i, char *buf, size_t len)
{
	if (i == SDEI_REG_SP)
		return "sp";
	if (i == SDEI_REG_PC)
		return "pc";
	if (i == SDEI_REG_PSTATE)
		return "pstate";
	snprintf(buf, len, "x%d", i);
	return buf;
}

/* Functions of the stop machinery itself: no stop saves a frame there. */
static const char *const stop_machinery[] = {
	"crash_save_cpu", "ipi_handler", "do_handle_IPI",
	"ipi_cpu_crash_stop", "local_cpu_stop", "handle_percpu_devid_irq",
	"handle_percpu_devid_fasteoi_nmi", "gic_handle_irq",
	"__gic_handle_irq_from_irqsoff", "__gic_handle_irq_from_irqson",
	"__sdei_handler", "do_sdei_event", "sdei_nmi_handler",
	"__sdei_asm_handler", "sdei_event_handler",
};

static bool in_stop_machinery(const char *fn)
{
	for (size_t i = 0; i < ARRAY_SIZE(stop_machinery); i++)
		if (fn && !strcmp(fn, stop_machinery[i]))
			return true;
	return false;
}

/* ---- classification ---------------------------------------------- */

struct frame_match {
	bool found;		/* the pointer variable exists */
	uint64_t ptr;		/* its value */
	bool readable;
	int differ;		/* -1 equal, else first differing register */
	uint8_t regs[PT_REGS_SIZE];
};

static void match_frame(struct ctx *c, const char *var,
			const struct cpu_state *s, const uint64_t *regs,
			struct frame_match *m)
{
	struct sdei_error *err;

	memset(m, 0, sizeof(*m));
	m->differ = -2;
	m->ptr = percpu_ptr(c, var, s, &m->found);
	if (!m->ptr)
		return;
	err = rd(c, m->ptr, m->regs, sizeof(m->regs));
	if (err) {
		sdei_error_destroy(err);
		return;
	}
	m->readable = true;
	m->differ = regs_differ(m->regs, regs);
}

static void describe_match(struct ctx *c, struct sdei_cpu_report *e,
			   const char *key, const char *var,
			   const struct frame_match *m,
			   const struct sdei_prstatus *p)
{
	char rn[16];

	if (!m->found)
		return;
	if (!m->ptr) {
		fact(c, &e->evidence, key, "%s is NULL", var);
	} else if (!m->readable) {
		fact(c, &e->evidence, key,
		     "%s = 0x%llx, but that memory is not in the dump", var,
		     (unsigned long long)m->ptr);
	} else if (m->differ < 0) {
		fact(c, &e->evidence, key,
		     "%s = 0x%llx: that pt_regs equals the note", var,
		     (unsigned long long)m->ptr);
	} else {
		int i = m->differ;

		fact(c, &e->evidence, key,
		     "%s = 0x%llx: that pt_regs differs from the note in %s (0x%llx vs 0x%llx)",
		     var, (unsigned long long)m->ptr,
		     reg_name(i, rn, sizeof(rn)),
		     (unsigned long long)sdei_le64(m->regs + 8 * i),
		     (unsigned long long)p->regs[i]);
	}
}

/* The stop machinery's frames on one of the CPU's stacks. */
struct stop_frames {
	int n;
	uint64_t pcs[24];
	bool nmi, irq;		/* NMI / IRQ flow handler seen */
	bool unreadable;
};

static const char *const irq_anchors[] = {
	"crash_save_cpu", NULL,
};

static const char *const irq_anchors2[] = {
	"ipi_handler", "do_handle_IPI", "ipi_cpu_crash_stop",
	"arm64_nmi_cpu_stop", NULL,
};

static void find_frames(struct ctx *c, struct sdei_cpu_report *e,
			const char *name, uint64_t base,
			struct stop_frames *fr)
{
	struct sdei_stack st;
	char line[512], sb[96];
	uint64_t rec = 0;
	size_t len;

	memset(fr, 0, sizeof(*fr));
	if (!base || !c->t->symtab)
		return;
	/*
	 * The stop's frames sit just below the top, where call_on_irq_stack
	 * (or the SDEI entry) starts the stack: read the top page first, and
	 * the whole stack only when the chain is not there.
	 */
	if (c->thread_size > c->page_size) {
		c->err = sdei_stack_read(c->t->read, c->t->arg,
					 base + c->thread_size - c->page_size,
					 c->page_size, c->page_size, &st);
		if (c->err)
			return;
		st.meta_off = c->meta_off;
		fr->n = sdei_stack_find_chain(&st, c->t->symtab, c->pacmask,
					      irq_anchors, fr->pcs,
					      (int)ARRAY_SIZE(fr->pcs), &rec);
		if (fr->n)
			goto found;
		sdei_stack_deinit(&st);
	}
	c->err = sdei_stack_read(c->t->read, c->t->arg, base, c->thread_size,
				 c->page_size, &st);
	if (c->err)
		return;
	st.meta_off = c->meta_off;
	if (!st.readable) {
		fr->unreadable = true;
		fact(c, &e->evidence, "stop_frames",
		     "%s stack at 0x%llx is not in the dump", name,
		     (unsigned long long)base);
		goto out;
	}
	fr->n = sdei_stack_find_chain(&st, c->t->symtab, c->pacmask,
				      irq_anchors, fr->pcs,
				      (int)ARRAY_SIZE(fr->pcs), &rec);
	if (!fr->n)
		fr->n = sdei_stack_find_chain(&st, c->t->symtab, c->pacmask,
					      irq_anchors2, fr->pcs,
					      (int)ARRAY_SIZE(fr->pcs), &rec);
	if (!fr->n) {
		fact(c, &e->evidence, "stop_frames",
		     "no frame record of the stop machinery on the %s stack at 0x%llx",
		     name, (unsigned long long)base);
		goto out;
	}
found:
	len = (size_t)snprintf(line, sizeof(line), "%s stack:", name);
	for (int i = 0; i < fr->n && len < sizeof(line); i++) {
		const char *fn = func_of(c, fr->pcs[i]);
		const char *s = symbolize(c, fr->pcs[i], sb, sizeof(sb));

		if (fn && (!strcmp(fn, "handle_percpu_devid_fasteoi_nmi") ||
			   !strcmp(fn, "__gic_handle_irq_from_irqsoff") ||
			   !strcmp(fn, "__gic_handle_nmi")))
			fr->nmi = true;
		if (fn && !strcmp(fn, "handle_percpu_devid_irq"))
			fr->irq = true;
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					"%s %s", i ? " <-" : "",
					s ? s : "?");
	}
	fact(c, &e->evidence, "stop_frames", "%s", line);
out:
	sdei_stack_deinit(&st);
}

/* pseudo-NMI: does this kernel take stop IPIs as NMIs at all? */
static void detect_pnmi(struct ctx *c)
{
	uint64_t a, v;

	c->pnmi = -1;
	if (c->major && !version_at_least(c, 6, 7)) {
		c->pnmi = 0;	/* stop IPIs became NMIs in v6.7 */
		return;
	}
	if (sym(c, "enable_pseudo_nmi", &a)) {
		if (rd_u64(c, a, &v, NULL, 0))
			c->pnmi = (v & 0xff) != 0;
		/*
		 * irqchip.gicv3_pseudo_nmi=1 only asks: without GICv3
		 * priority masking the GIC driver leaves its static key
		 * supports_pseudo_nmis off and stop IPIs stay IRQs
		 */
		if (c->pnmi == 1 && sym(c, "supports_pseudo_nmis", &a) &&
		    rd_u64(c, a, &v, NULL, 0) && !(int32_t)v) {
			c->pnmi = 0;
			c->pnmi_gic_off = true;
		}
		return;
	}
	/* Only static data is missing from a full table: not built in. */
	if (c->t->symtab && sdei_symtab_has_data(c->t->symtab))
		c->pnmi = 0;
}

/* This CPU's count of IPI number ipi (irq_desc->kstat_irqs, per-CPU). */
static bool ipi_count(struct ctx *c, const struct cpu_state *s, uint64_t a,
		      uint64_t off_k, uint64_t off_cnt, int ipi, uint64_t *ret)
{
	uint64_t desc, kp, v;

	if (!rd_u64(c, a + 8 * (uint64_t)ipi, &desc, NULL, 0) || !desc ||
	    !rd_u64(c, desc + off_k, &kp, NULL, 0) || !kp ||
	    !rd_u64(c, kp + s->offset + off_cnt, &v, NULL, 0))
		return false;
	*ret = v & 0xffffffff;
	return true;
}

/*
 * The IPI counts (KERNEL.md §1.1, §4), with types: the flow handler counts
 * an IPI before its handler runs, and a crash stop never returns, so a CPU
 * stopped through an IPI counted exactly one stop IPI — the one its
 * frame says. Anything else is memory contradicting itself.
 */
static void check_counts(struct ctx *c, unsigned int cpu,
			 struct sdei_cpu_report *e)
{
	const struct cpu_state *s = &c->cpus[cpu];
	uint64_t a, off_k, off_cnt = 0, stop = 0, nmi = 0;
	const char *why = NULL;

	if (!sym(c, "ipi_desc", &a) ||
	    !member(c, "struct irq_desc", "kstat_irqs", &off_k, NULL))
		return;
	member(c, "struct irqstat", "cnt", &off_cnt, NULL);
	if (!version_at_least(c, 6, 11)) {
		/* index 3 is IPI_CPU_CRASH_STOP before 6.11 */
		if (!ipi_count(c, s, a, off_k, off_cnt, 3, &nmi))
			return;
		fact(c, &e->evidence, "kstat",
		     "IPI_CPU_CRASH_STOP counted %llu on this CPU",
		     (unsigned long long)nmi);
		if (!nmi)
			why = "the crash stop IPI was never counted on this CPU, yet its frame came through it";
	} else {
		if (!ipi_count(c, s, a, off_k, off_cnt, 2, &stop) ||
		    !ipi_count(c, s, a, off_k, off_cnt, 3, &nmi))
			return;
		fact(c, &e->evidence, "kstat",
		     "IPI_CPU_STOP counted %llu, IPI_CPU_STOP_NMI counted %llu on this CPU",
		     (unsigned long long)stop, (unsigned long long)nmi);
		if (stop && nmi)
			why = "both stop IPIs were counted, but a crash stop never returns: only one can have run to completion";
		else if (!stop && !nmi)
			why = "neither stop IPI was counted, yet the frame came through one";
		else if (e->path == SDEI_PATH_IPI && nmi)
			why = "the frame says IPI_CPU_STOP, the counts say IPI_CPU_STOP_NMI";
		else if (e->path == SDEI_PATH_PSEUDO_NMI && stop)
			why = "the frame says IPI_CPU_STOP_NMI, the counts say IPI_CPU_STOP";
	}
	if (why && e->verdict == SDEI_VERDICT_STOPPED) {
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "reason", "%s", why);
	}
}

static void classify_irq_path(struct ctx *c, unsigned int cpu,
			      struct sdei_cpu_report *e,
			      const struct frame_match *irq)
{
	struct stop_frames fr;
	uint64_t pmr, off, size;

	find_frames(c, e, "IRQ", c->cpus[cpu].irq_stack, &fr);
	if (fr.nmi && fr.irq) {
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "reason",
		     "the IRQ stack holds both the NMI and the IRQ flow handler");
		return;
	}
	if (c->pnmi == 0 && fr.nmi) {
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "reason",
		     "NMI flow handler frames on a kernel without pseudo-NMI");
		return;
	}
	if (c->pnmi < 0 && (fr.nmi || fr.irq)) {
		e->verdict = SDEI_VERDICT_STOPPED;
		e->path = fr.nmi ? SDEI_PATH_PSEUDO_NMI : SDEI_PATH_IPI;
		fact(c, &e->evidence, "pseudo_nmi",
		     "the stop ran under the %s flow handler",
		     fr.nmi ? "NMI (handle_percpu_devid_fasteoi_nmi)" :
			      "IRQ (handle_percpu_devid_irq)");
		return;
	}
	if (c->pnmi == 0) {
		e->verdict = SDEI_VERDICT_STOPPED;
		e->path = SDEI_PATH_IPI;
		if (c->pnmi_gic_off)
			fact(c, &e->evidence, "pseudo_nmi",
			     "pseudo-NMI was asked for (enable_pseudo_nmi), but the GIC driver never enabled it (supports_pseudo_nmis off): the stop came as an IRQ");
		else
			fact(c, &e->evidence, "pseudo_nmi",
			     c->major && !version_at_least(c, 6, 7) ?
			     "kernel %d.%d predates NMI stop IPIs (v6.7): the stop came as an IRQ" :
			     "kernel %d.%d has no pseudo-NMI enabled: the stop came as an IRQ",
			     c->major, c->minor);
		return;
	}
	if (c->pnmi < 0) {
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "reason",
		     "cannot tell IPI from pseudo-NMI: whether the kernel has pseudo-NMI enabled ('enable_pseudo_nmi') is not known");
		return;
	}
	if (member(c, "struct pt_regs", "pmr_save", &off, &size) ||
	    member(c, "struct pt_regs", "pmr", &off, &size)) {
		/* the layout from DWARF beats the version table */
		pmr = off + 4 <= PT_REGS_SIZE ? sdei_le32(irq->regs + off) : 0;
	} else if (version_at_least(c, 6, 13)) {
		pmr = sdei_le32(irq->regs + PT_REGS_PMR);
	} else {
		pmr = sdei_le64(irq->regs + PT_REGS_PMR_SAVE);
	}
	fact(c, &e->evidence, "pmr_save",
	     "saved PMR 0x%llx in that pt_regs", (unsigned long long)pmr);
	if (!version_at_least(c, 6, 11)) {
		/*
		 * v6.7-v6.10: with priority masking the crash stop IPI is
		 * requested as an NMI, so it runs under the NMI flow handler
		 */
		if (fr.irq) {
			e->verdict = SDEI_VERDICT_UNKNOWN;
			fact(c, &e->evidence, "reason",
			     "kernel %d.%d sends every crash stop as a pseudo-NMI, yet the IRQ flow handler (handle_percpu_devid_irq) ran this one",
			     c->major, c->minor);
			return;
		}
		e->verdict = SDEI_VERDICT_STOPPED;
		e->path = SDEI_PATH_PSEUDO_NMI;
		fact(c, &e->evidence, "pseudo_nmi",
		     "kernel %d.%d sends every crash stop as a pseudo-NMI",
		     c->major, c->minor);
		return;
	}
	if ((pmr & ~(uint64_t)GIC_PRIO_PSR_I_SET) == GIC_PRIO_IRQON &&
	    c->nmi_retry && test_bit(c->nmi_retry, cpu)) {
		/* both stop IPIs were pending: either may have been taken */
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "reason",
		     "IRQs were unmasked (GIC_PRIO_IRQON), yet 'retry stop with NMI' names this CPU: IPI_CPU_STOP and IPI_CPU_STOP_NMI were both pending");
	} else if ((pmr & ~(uint64_t)GIC_PRIO_PSR_I_SET) == GIC_PRIO_IRQON) {
		e->verdict = SDEI_VERDICT_STOPPED;
		e->path = SDEI_PATH_IPI;
		fact(c, &e->evidence, "pseudo_nmi",
		     "interrupted with IRQs unmasked (GIC_PRIO_IRQON): the first-rung IPI_CPU_STOP was deliverable");
	} else if (pmr == 0xc0 || pmr == 0x60 || pmr == 0xa0) {
		e->verdict = SDEI_VERDICT_STOPPED;
		e->path = SDEI_PATH_PSEUDO_NMI;
		fact(c, &e->evidence, "pseudo_nmi",
		     "interrupted with IRQs masked by priority (GIC_PRIO_IRQOFF): only the NMI could be taken");
		if (c->nmi_retry && test_bit(c->nmi_retry, cpu))
			fact(c, &e->evidence, "log",
			     "named in 'retry stop with NMI'");
	} else {
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "reason",
		     "saved PMR 0x%llx is neither IRQON nor IRQOFF",
		     (unsigned long long)pmr);
	}
	if ((e->path == SDEI_PATH_IPI && fr.nmi) ||
	    (e->path == SDEI_PATH_PSEUDO_NMI && fr.irq)) {
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "reason",
		     "the saved PMR and the flow handler frames on the IRQ stack disagree");
	}
}

/* A frame an IPI stop saved: which IPI, and do the counts agree. */
static void classify_irq(struct ctx *c, unsigned int cpu,
			 struct sdei_cpu_report *e,
			 const struct frame_match *irq)
{
	classify_irq_path(c, cpu, e, irq);
	if (!c->err)
		check_counts(c, cpu, e);
}

static void classify_note(struct ctx *c, unsigned int cpu,
			  struct sdei_cpu_report *e)
{
	struct cpu_state *s = &c->cpus[cpu];
	const struct sdei_prstatus *p = &s->mem;
	uint64_t pc = p->regs[SDEI_REG_PC], sp = p->regs[SDEI_REG_SP];
	const char *fn = func_of(c, pc), *stk;
	struct frame_match irq, sdei;
	struct stop_frames fr;
	int owner, el = pstate_el(p->regs[SDEI_REG_PSTATE]);
	uint64_t a, v;
	/* the SDEI-NMI stop series: its funnel, or its flag */
	bool series = sym(c, "arm64_nmi_cpu_stop", &a) ||
		      sym(c, "sdei_nmi_stopping", &a);

	match_frame(c, "__irq_regs", s, p->regs, &irq);
	match_frame(c, "sdei_active_normal_event", s, p->regs, &sdei);
	if (!sdei.readable || sdei.differ >= 0) {
		struct frame_match crit;

		match_frame(c, "sdei_active_critical_event", s, p->regs,
			    &crit);
		if (crit.readable && crit.differ < 0)
			sdei = crit;
	}

	if (cpu == (unsigned int)c->panic_cpu && c->panic_known) {
		e->verdict = SDEI_VERDICT_PANIC;
		e->path = SDEI_PATH_PANIC;
		fact(c, &e->evidence, "panic_cpu", "panic_cpu = %d",
		     c->panic_cpu);
		describe_match(c, e, "irq_regs", "__irq_regs", &irq, p);
		return;
	}
	describe_match(c, e, "irq_regs", "__irq_regs", &irq, p);
	if (series || sdei.ptr)
		describe_match(c, e, "sdei_event", "sdei_active_normal_event",
			       &sdei, p);

	/* sp on a stack of another CPU: the note is not this CPU's */
	stk = el > 0 ? stack_of(c, sp, &owner) : NULL;
	if (stk && owner != (int)cpu) {
		e->verdict = SDEI_VERDICT_STALE;
		fact(c, &e->evidence, "reason",
		     "sp 0x%llx lies on CPU %d's %s stack, not on a stack of CPU %u",
		     (unsigned long long)sp, owner, stk, cpu);
		return;
	}
	if (in_stop_machinery(fn)) {
		e->verdict = SDEI_VERDICT_STALE;
		fact(c, &e->evidence, "reason",
		     "pc is in %s, inside the stop machinery: a nested stop overwrote the first stop's frame",
		     fn);
		return;
	}
	if (irq.readable && irq.differ < 0 && sdei.readable &&
	    sdei.differ < 0) {
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "reason",
		     "both __irq_regs and the SDEI event hold this frame");
		return;
	}
	if (sdei.readable && sdei.differ < 0) {
		if (!series) {
			e->verdict = SDEI_VERDICT_UNKNOWN;
			fact(c, &e->evidence, "reason",
			     "an SDEI event holds this frame, but the kernel has no SDEI stop ('arm64_nmi_cpu_stop' is not a symbol)");
			return;
		}
		e->verdict = SDEI_VERDICT_STOPPED;
		e->path = SDEI_PATH_SDEI;
		find_frames(c, e, "SDEI", s->sdei_stack[0], &fr);
		if (sym(c, "sdei_nmi_stopping", &a) &&
		    rd_u64(c, a, &v, NULL, 0))
			fact(c, &e->evidence, "sdei_nmi_stopping",
			     "sdei_nmi_stopping = %d%s", (int32_t)v,
			     (int32_t)v == 1 ? ": the stop rang the SDEI rung" :
			     ": yet an SDEI event saved this frame");
		if (c->sdei_retry && test_bit(c->sdei_retry, cpu))
			fact(c, &e->evidence, "log",
			     "named in 'retry stop with SDEI NMI'");
		else if (c->log.readable)
			fact(c, &e->evidence, "log",
			     "no 'retry stop with SDEI NMI' line names this CPU");
		return;
	}
	if (irq.readable && irq.differ < 0) {
		classify_irq(c, cpu, e, &irq);
		return;
	}
	if (series && fn && !strcmp(fn, "arm64_nmi_cpu_stop") &&
	    !(el > 0 && stk)) {
		/* the series' NULL-regs capture in panic_smp_self_stop() */
		e->verdict = SDEI_VERDICT_STOPPED;
		e->path = SDEI_PATH_SELF_STOP;
		fact(c, &e->evidence, "self_stop",
		     "pc is in the stop funnel arm64_nmi_cpu_stop, sp is on no IRQ or SDEI stack, and no exception frame holds the registers: captured in place by panic_smp_self_stop()");
		return;
	}
	if (irq.readable && irq.differ >= 0) {
		e->verdict = SDEI_VERDICT_STALE;
		fact(c, &e->evidence, "reason",
		     "the note is not the exception frame the stop IPI saved from (__irq_regs)");
		return;
	}
	if (series && sdei.readable && sdei.differ >= 0) {
		e->verdict = SDEI_VERDICT_STALE;
		fact(c, &e->evidence, "reason",
		     "the note is not the interrupted_regs of the SDEI event this CPU is handling");
		return;
	}
	e->verdict = SDEI_VERDICT_UNKNOWN;
	fact(c, &e->evidence, "reason",
	     "no exception frame in memory (__irq_regs, SDEI event) holds these registers");
}

/*
 * Tier 2 (types): the task that ran on the CPU (__entry_task, the last
 * task switched in) must be the one the note names, and an EL1 sp must
 * lie on one of the CPU's stacks.
 */
static void check_task(struct ctx *c, unsigned int cpu,
		       struct sdei_cpu_report *e)
{
	const struct cpu_state *s = &c->cpus[cpu];
	uint64_t task, off_pid, off_stack, v, stack, ov, sp;
	int el = pstate_el(s->mem.regs[SDEI_REG_PSTATE]);
	bool found;

	if (!c->t->member || (e->verdict != SDEI_VERDICT_STOPPED &&
			      e->verdict != SDEI_VERDICT_PANIC))
		return;
	task = percpu_ptr(c, "__entry_task", s, &found);
	if (!task || !member(c, "struct task_struct", "pid", &off_pid, NULL) ||
	    !rd_u64(c, task + off_pid, &v, NULL, 0))
		return;
	if ((int32_t)v != s->mem.pid) {
		if (e->path == SDEI_PATH_IPI || e->path == SDEI_PATH_PANIC) {
			/* context switches run with IRQs off: no race here */
			e->verdict = SDEI_VERDICT_STALE;
			fact(c, &e->evidence, "reason",
			     "pr_pid %d is not the pid %d of the task that ran there (__entry_task 0x%llx)",
			     s->mem.pid, (int32_t)v, (unsigned long long)task);
			return;
		}
		fact(c, &e->evidence, "task",
		     "pr_pid %d, but __entry_task 0x%llx has pid %d: an NMI can land mid context switch",
		     s->mem.pid, (unsigned long long)task, (int32_t)v);
	} else {
		fact(c, &e->evidence, "task",
		     "__entry_task 0x%llx has pid %d, as the note says",
		     (unsigned long long)task, (int32_t)v);
	}
	sp = s->mem.regs[SDEI_REG_SP];
	if (el <= 0 || e->path == SDEI_PATH_SDEI ||
	    !member(c, "struct task_struct", "stack", &off_stack, NULL) ||
	    !rd_u64(c, task + off_stack, &stack, NULL, 0) || !stack)
		return;
	if (on_stack(stack, c->thread_size, sp) ||
	    on_stack(s->irq_stack, c->thread_size, sp) ||
	    on_stack(s->sdei_stack[0], c->thread_size, sp) ||
	    on_stack(s->sdei_stack[1], c->thread_size, sp) ||
	    (sym(c, "overflow_stack", &ov) &&
	     on_stack(ov + s->offset, 4096, sp)))
		return;
	e->verdict = SDEI_VERDICT_STALE;
	fact(c, &e->evidence, "reason",
	     "sp 0x%llx lies on no stack of CPU %u (task stack 0x%llx, IRQ stack 0x%llx, THREAD_SIZE %llu)",
	     (unsigned long long)sp, cpu, (unsigned long long)stack,
	     (unsigned long long)s->irq_stack,
	     (unsigned long long)c->thread_size);
}

static void judge_cpu(struct ctx *c, unsigned int cpu)
{
	struct cpu_state *s = &c->cpus[cpu];
	struct sdei_cpu_report *e;
	char buf[160];

	if (c->opts->cpu_list && (cpu >= c->opts->cpu_list_bits ||
				  !test_bit(c->opts->cpu_list, cpu)))
		return;
	c->err = sdei_report_add_cpu(c->r, (int)cpu, &e);
	if (c->err)
		return;
	e->note = s->file >= 0 ? c->t->notes[s->file].index : -1;

	switch (s->buf) {
	case BUF_UNREAD:
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "crash_notes",
		     "buffer at 0x%llx cannot be read: %s",
		     (unsigned long long)s->buf_addr, s->why);
		return;
	case BUF_CORRUPT:
		e->verdict = SDEI_VERDICT_UNKNOWN;
		fact(c, &e->evidence, "crash_notes",
		     "buffer at 0x%llx is corrupt: %s",
		     (unsigned long long)s->buf_addr, s->why);
		return;
	case BUF_EMPTY:
		fact(c, &e->evidence, "crash_notes",
		     "buffer at 0x%llx is empty (n_namesz 0)%s",
		     (unsigned long long)s->buf_addr,
		     s->buf_dirty ? ", though not all zero" : "");
		if (!s->present) {
			e->verdict = SDEI_VERDICT_OFFLINE;
			fact(c, &e->evidence, "present",
			     "not in __cpu_present_mask");
		} else if (!s->online && !s->active) {
			e->verdict = SDEI_VERDICT_OFFLINE;
			fact(c, &e->evidence, "online",
			     "neither online nor active: hotplugged off or never brought up");
		} else if (s->online) {
			e->verdict = SDEI_VERDICT_MISSING;
			fact(c, &e->evidence, "online",
			     "still set in __cpu_online_mask: it never answered the stop");
			if (c->failed && test_bit(c->failed, cpu))
				fact(c, &e->evidence, "log",
				     version_at_least(c, 6, 11) ?
				     "the kernel logged that it failed to stop this CPU" :
				     "named in 'failed to stop secondary CPUs' (before 6.11 that line names every CPU the IPI went to: no proof alone)");
			if (c->panic_known && (int)cpu == c->panic_cpu)
				fact(c, &e->evidence, "panic_cpu",
				     "panic_cpu = %d, yet its own note was never saved",
				     c->panic_cpu);
		} else {
			e->verdict = SDEI_VERDICT_MISSING;
			fact(c, &e->evidence, "online",
			     "offline but still active: it stopped without saving (panic_smp_self_stop() or a non-crash stop)");
		}
		return;
	case BUF_NOTE:
		break;
	}

	e->has_regs = true;
	e->pid = s->mem.pid;
	memcpy(e->regs, s->mem.regs, sizeof(e->regs));
	if (symbolize(c, s->mem.regs[SDEI_REG_PC], buf, sizeof(buf)) &&
	    !(e->pc_sym = strdup(buf))) {
		c->err = &sdei_error_nomem;
		return;
	}
	if (s->file >= 0)
		fact(c, &e->evidence, "crash_notes",
		     "buffer at 0x%llx holds the note; file note #%d has the same %s",
		     (unsigned long long)s->buf_addr, e->note,
		     s->file_differs ? "pid but other registers" : "bytes");
	else
		fact(c, &e->evidence, "crash_notes",
		     "buffer at 0x%llx holds a note that is not in the dump file",
		     (unsigned long long)s->buf_addr);

	classify_note(c, cpu, e);
	if (!c->err)
		check_task(c, cpu, e);
	if (c->err)
		return;

	/* Reasons that make any frame untrustworthy, whatever saved it. */
	if (s->file_differs) {
		const struct sdei_prstatus *f = &c->t->notes[s->file];
		int i = 0;
		char rn[16];

		while (i < SDEI_NR_REGS - 1 && f->regs[i] == s->mem.regs[i])
			i++;
		e->verdict = SDEI_VERDICT_STALE;
		fact(c, &e->evidence, "reason",
		     "the file's note #%d differs from the CPU's crash_notes buffer (%s 0x%llx in the file, 0x%llx in memory)",
		     e->note, reg_name(i, rn, sizeof(rn)),
		     (unsigned long long)f->regs[i],
		     (unsigned long long)s->mem.regs[i]);
	} else if (s->file < 0) {
		/* crash and drgn read the buffer; note-order readers shift */
		fact(c, &e->evidence, "file_note",
		     "the dump file's note area lacks this note: tools that map notes by order will shift later CPUs");
		fact(c, &c->r->findings, "file_note",
		     "CPU %u's crash_notes buffer holds a note the dump file lacks",
		     cpu);
	}
	if (s->file >= 0 && c->note_problem[s->file]) {
		e->verdict = SDEI_VERDICT_STALE;
		fact(c, &e->evidence, "reason", "%s",
		     c->note_problem[s->file]);
	}
	if (e->verdict == SDEI_VERDICT_STOPPED && s->online &&
	    version_at_least(c, 6, 11)) {
		e->verdict = SDEI_VERDICT_STALE;
		fact(c, &e->evidence, "reason",
		     "still set in __cpu_online_mask after saving: kernel %d.%d clears it right after crash_save_cpu(), so the CPU kept running",
		     c->major, c->minor);
	} else if (e->verdict == SDEI_VERDICT_STOPPED ||
		   e->verdict == SDEI_VERDICT_PANIC) {
		fact(c, &e->evidence, "online", "%s in __cpu_online_mask%s",
		     s->online ? "set" : "clear",
		     e->verdict == SDEI_VERDICT_PANIC ? "" :
		     version_at_least(c, 6, 11) ?
		     " (6.11+ clears it after saving)" :
		     " (before 6.11 a crash stop leaves it set)");
	}
}

/* A file note no CPU's buffer holds (or notes without per-CPU truth). */
static void judge_note(struct ctx *c, size_t k)
{
	const struct sdei_prstatus *p = &c->t->notes[k];
	struct sdei_cpu_report *e;
	char buf[160];
	const char *fn;

	c->err = sdei_report_add_cpu(c->r, -1, &e);
	if (c->err)
		return;
	e->note = p->index;
	e->has_regs = p->complete;
	e->pid = p->pid;
	memcpy(e->regs, p->regs, sizeof(e->regs));
	if (symbolize(c, p->regs[SDEI_REG_PC], buf, sizeof(buf)) &&
	    !(e->pc_sym = strdup(buf))) {
		c->err = &sdei_error_nomem;
		return;
	}
	if (c->note_problem[k]) {
		e->verdict = SDEI_VERDICT_STALE;
		fact(c, &e->evidence, "reason", "%s", c->note_problem[k]);
	}
	if (c->cpus) {
		e->verdict = SDEI_VERDICT_STALE;
		fact(c, &e->evidence, "reason",
		     "no CPU's crash_notes buffer holds this note");
		return;
	}
	fn = func_of(c, p->regs[SDEI_REG_PC]);
	/* A hint only: which CPU and whether it panicked needs memory. */
	if (e->verdict != SDEI_VERDICT_STALE && fn &&
	    !strcmp(fn, "__crash_kexec"))
		fact(c, &e->evidence, "pc",
		     "pc is in __crash_kexec: most likely the panicking CPU's own capture");
	fact(c, &e->evidence, "cpu", "%s", c->nocpus_why);
}

static void dump_facts(struct ctx *c)
{
	const char *vi = c->t->vmcoreinfo, *v;
	size_t len;

	if ((v = sdei_vmcoreinfo_get(vi, "OSRELEASE", &len))) {
		fact(c, &c->r->dump, "release", "%.*s", (int)len, v);
		if (sscanf(v, "%d.%d", &c->major, &c->minor) != 2)
			c->major = c->minor = 0;
	}
	if ((v = sdei_vmcoreinfo_get(vi, "CRASHTIME", &len)))
		fact(c, &c->r->dump, "crashtime", "%.*s", (int)len, v);
	if ((v = sdei_vmcoreinfo_get(vi, "PAGESIZE", &len)))
		fact(c, &c->r->dump, "page_size", "%.*s", (int)len, v);
	if ((v = sdei_vmcoreinfo_get(vi, "BUILD-ID", &len)))
		fact(c, &c->r->dump, "build_id", "%.*s", (int)len, v);
	fact(c, &c->r->dump, "notes", "%zu", c->t->nr_notes);
	if (c->t->symtab)
		fact(c, &c->r->dump, "symbols", "%s",
		     sdei_symtab_describe(c->t->symtab));
	else
		fact(c, &c->r->dump, "symbols", "none (%s)",
		     c->t->symtab_why ? c->t->symtab_why : "not given");
}

static const char *log_list(const struct sdei_log *log, const char *prefix)
{
	size_t n = strlen(prefix);

	for (size_t i = log->nr; i--;)
		if (!strncmp(log->v[i].text, prefix, n))
			return log->v[i].text + n;
	return NULL;
}

static uint64_t *log_cpus(struct ctx *c, const char *prefix)
{
	const char *list = log_list(&c->log, prefix);
	uint64_t *map;

	if (!list)
		return NULL;
	map = calloc((c->nr_cpu_ids + 63) / 64, 8);
	if (!map) {
		c->err = &sdei_error_nomem;
		return NULL;
	}
	if (!sdei_parse_cpulist(list, map, c->nr_cpu_ids)) {
		free(map);
		return NULL;
	}
	return map;
}

static void load_log(struct ctx *c)
{
	struct sdei_error *err;

	err = sdei_log_read(c->t->read, c->t->arg, c->t->vmcoreinfo, &c->log);
	if (err) {
		c->err = err;
		return;
	}
	if (!c->log.readable) {
		fact(c, &c->r->dump, "log", "%s", c->log.why);
		return;
	}
	fact(c, &c->r->dump, "log", "%zu stop line%s read from the printk ring%s",
	     c->log.nr, c->log.nr == 1 ? "" : "s",
	     c->log.unreadable ? " (some records unreadable)" : "");
	for (size_t i = 0; i < c->log.nr; i++)
		fact(c, &c->r->findings, "log", "[%5llu.%06llu] %s",
		     (unsigned long long)(c->log.v[i].ts_nsec / 1000000000),
		     (unsigned long long)(c->log.v[i].ts_nsec / 1000 % 1000000),
		     c->log.v[i].text);
}

static unsigned int nr_possible(const struct ctx *c)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < c->nr_cpu_ids; i++)
		n += test_bit(c->possible, i);
	return n;
}

struct sdei_error *sdei_analyze(const struct sdei_target *target,
				const struct sdei_options *opts,
				struct sdei_report *report)
{
	static const struct sdei_options defaults;
	struct ctx c = {
		.t = target,
		.opts = opts ? opts : &defaults,
		.r = report,
		.panic_cpu = -1,
	};

	dump_facts(&c);
	check_notes(&c);
	if (!c.err)
		load_cpus(&c);
	if (!c.err)
		load_log(&c);
	if (c.cpus && !c.err) {
		report->cpus_known = true;
		c.failed = log_cpus(&c, "SMP: failed to stop secondary CPUs");
		c.nmi_retry = log_cpus(&c, "SMP: retry stop with NMI for CPUs");
		c.sdei_retry = log_cpus(&c,
					"SMP: retry stop with SDEI NMI for CPUs");
		detect_pnmi(&c);
		/* 6.13+ pt_regs carry a metadata record the walk steps through */
		if (version_at_least(&c, 6, 13) &&
		    !member(&c, "struct pt_regs", "stackframe", &c.meta_off,
			    NULL))
			c.meta_off = PT_REGS_STACKFRAME_613;
		load_stacks(&c);
		if (!c.err)
			index_stacks(&c);
		fact(&c, &report->dump, "cpus",
		     "%u possible (nr_cpu_ids %u), from __cpu_possible_mask",
		     nr_possible(&c), c.nr_cpu_ids);
		if (c.panic_known)
			fact(&c, &report->dump, "panic_cpu", "%d",
			     c.panic_cpu);
		for (unsigned int cpu = 0; cpu < c.nr_cpu_ids && !c.err; cpu++)
			if (test_bit(c.possible, cpu))
				judge_cpu(&c, cpu);
	} else if (!c.err) {
		fact(&c, &report->findings, "cpus", "%s", c.nocpus_why);
	}
	for (size_t k = 0; k < target->nr_notes && !c.err; k++)
		if (c.note_cpu[k] < 0 && !c.opts->cpu_list)
			judge_note(&c, k);
	if (c.opts->cpu_list && !c.err) {
		char list[96];

		/* asked about, not answered: never a silent pass */
		report->nr_absent = sdei_report_absent(report,
						       c.opts->cpu_list,
						       c.opts->cpu_list_bits,
						       list, sizeof(list));
		if (report->nr_absent)
			fact(&c, &report->findings, "cpu_list",
			     report->cpus_known ?
			     "CPU%s %s asked for, but not a possible CPU of this dump" :
			     "CPU%s %s asked for, but without per-CPU truth no note can be named a CPU's",
			     report->nr_absent > 1 ? "s" : "", list);
	}
	/* an unknown verdict claims no path */
	for (size_t i = 0; i < report->nr_cpus; i++)
		if (report->cpus[i].verdict == SDEI_VERDICT_UNKNOWN)
			report->cpus[i].path = SDEI_PATH_NONE;
	sdei_report_finish(report);

	if (c.note_problem)
		for (size_t k = 0; k < target->nr_notes; k++)
			free(c.note_problem[k]);
	free(c.note_problem);
	free(c.note_cpu);
	free(c.cpus);
	free(c.stacks);
	free(c.possible);
	free(c.failed);
	free(c.nmi_retry);
	free(c.sdei_retry);
	sdei_log_deinit(&c.log);
	return c.err;
}
