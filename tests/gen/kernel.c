// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel model of mkvmcore: what each arm64 stop path leaves in memory
 * (../../../shared/KERNEL.md is the source for every fact used here).
 *
 * Directives only record what the scenario says; kernel_finish() then
 * builds the whole picture through the machine API of gen.h: symbols,
 * per-CPU areas, CPU masks, stacks with frame records, exception pt_regs,
 * SDEI events, each CPU's crash_notes buffer, the file's PRSTATUS notes and
 * the printk log (printk.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* printk.c (the kernel model's two files share no header) */
int printk_add(const char *text, int level);
int printk_finish(struct gen *g, char *err, size_t errlen);

#define KV(a, b, c)		(((a) << 16) | ((b) << 8) | (c))

#define MAX_CPUS		4096
#define THREAD_SIZE_MIN		0x4000ULL
#define PT_REGS_SIZE		336
#define PT_SP			248
#define PT_PC			256
#define PT_PSTATE		264
#define PT_ORIG_X0		272
#define PT_SYSCALLNO		280
#define PT_PMR_SAVE		296	/* u64 pmr_save, <= 6.12 */
#define PT_STACKFRAME		304	/* {fp, lr}, <= 6.12 */
/*
 * v6.13 (c2c6b27b5aa1, KERNEL.md §5): pmr_save became a u32 'pmr' in the
 * old unused2 slot, and stackframe a metadata record {fp, lr, type} at 296
 * that kernel_entry fills with {0, 0, PT_REGS} from EL1, {0, 0, FINAL}
 * from EL0; every task's last record is a FINAL one.
 */
#define PT_PMR_613		284
#define PT_STACKFRAME_613	296
#define FRAME_META_TYPE_FINAL	1
#define FRAME_META_TYPE_PT_REGS	2

#define NOTE_SIZE		412	/* "CORE"/NT_PRSTATUS record */
#define NOTE_BUF_SIZE		424	/* note_buf_t: record + final note */
#define PRSTATUS_SIZE		392
#define PR_PID			32
#define PR_REG			112
#define NOTE_DESC		20	/* 12-byte header + "CORE" padded */

#define SDEI_EVENT_SIZE		360	/* struct sdei_registered_event */
#define SDEI_EV_CALLBACK	336

#define GIC_PRIO_IRQON		0xe0
#define GIC_PRIO_IRQOFF		0xc0

#define PSR_MODE_EL1H		0x5
#define PSR_DAIF		0x3c0
#define PSR_IF			0xc0	/* local_irq_disable: daifset #3 */

/* Per-CPU static section layout (offsets from __per_cpu_start). */
#define PCPU_IRQ_REGS		0x008
#define PCPU_IRQ_STACK_PTR	0x010
#define PCPU_ENTRY_TASK		0x020
#define PCPU_SDEI_ACT_NORMAL	0x028
#define PCPU_SDEI_ACT_CRIT	0x030
#define PCPU_SDEI_STACK_NORMAL	0x038
#define PCPU_SDEI_STACK_CRIT	0x040
#define PCPU_OVERFLOW_STACK	0x1000
#define PCPU_STATIC_SIZE	0x2000
#define OVERFLOW_STACK_SIZE	0x1000

enum path {
	P_UNSET,
	P_PANIC,
	P_IPI,
	P_PNMI,
	P_SDEI,
	P_SELF_STOP,
	P_NEVER,
	P_OFFLINE,
	P_STOPPED_NOCRASH,
};

enum buf_damage { BUF_OK, BUF_NAME, BUF_TYPE, BUF_SIZE };
/* kstat=: the stop IPIs this CPU counted; KSTAT_PATH: as its path says */
enum kstat_mode { KSTAT_PATH, KSTAT_BOTH, KSTAT_NONE, KSTAT_2, KSTAT_3 };
/* frames=: the flow handler records on the IRQ stack; FLOW_PATH: as the
 * path takes the stop */
enum flow { FLOW_PATH, FLOW_IRQ, FLOW_NMI, FLOW_BOTH, FLOW_NONE, FLOW_ABSENT };

/* ipi_desc[]: IPIs 0-6 (6.1: up to IPI_WAKEUP) */
#define NR_IPI_DESC		7
#define IPI_CPU_STOP		2
#define IPI_CPU_STOP_NMI	3	/* IPI_CPU_CRASH_STOP before v6.11 */
enum file_damage { FILE_OK, FILE_ABSENT, FILE_EXTRA, FILE_DIFFERS };

struct kcpu {
	enum path path;
	int el;			/* -1: path default */
	int have_pid;
	uint32_t pid;
	int have_pc;
	char pc_sym[128];	/* empty: pc_val is absolute */
	uint64_t pc_val;	/* offset, or the absolute pc */
	int have_sp;
	uint64_t sp;
	int have_pstate;
	uint64_t pstate;
	int irqs_off;		/* -1: path default */
	int self_note;
	int regs_zero;
	int irq_regs_differ;
	int nested;
	int still_online;
	enum buf_damage buf;
	enum file_damage file;
	int percpu_unreadable;
	int stack_unreadable;
	int pid_differ;		/* task-pid=differ */
	int off_stack;		/* sp=off-stack */
	unsigned int sp_irq_of;	/* sp=irq-stack-of:M, M + 1 */
	enum kstat_mode kstat;
	enum flow frames;	/* frames= */
	int have_pmr;		/* pmr= */
	uint64_t pmr;
	int irq_regs_null;	/* irq-regs=null */
	int sdei_event_note;	/* sdei-event=note */
	int note_none;		/* note=none */

	/* built by kernel_finish() */
	uint64_t pcpu;		/* this CPU's unit (linear VA) */
	uint64_t task;
	uint64_t tstack, istack, sstack_n, sstack_c;
	uint64_t regs[34];	/* x0..x30, sp, pc, pstate */
	int has_note;
	uint8_t note[NOTE_BUF_SIZE];
	int online, active, present;
};

struct kernel {
	int family;		/* 601, 608, 612, 613 */
	int series;
	int pseudo_nmi;
	int pnmi_flag_unreadable;	/* pseudo-nmi-flag unreadable */
	int sdei;
	int auto_log;
	unsigned int ncpus;
	unsigned int nr_cpus;
	struct kcpu *cpu;	/* nr_cpus entries */
	char *present_list, *online_list, *active_list;
	struct klog *logs;
	size_t nlogs;

	/* layout */
	uint64_t page_size;
	uint64_t thread_size;
	uint64_t pcpu_start;
	uint64_t pcpu_unit;
	uint64_t dyn_notes;	/* crash_notes offset in a unit */
	uint64_t dyn_sdei;	/* SDEI private_registered offset */
	uint64_t dyn_kstat;	/* the IPIs' kstat_irqs counters */
};

static struct kernel K = {
	.family = 612, .sdei = 1, .auto_log = 1, .nr_cpus = 64,
};

static int kerr(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int kerr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	errno = 0;
	*ret = strtoull(s, &end, 0);
	return (errno || end == s || *end) ? -1 : 0;
}

/* "0-2,5" into a bitmap of nbits; returns -1 on a malformed list. */
static int parse_list(const char *s, unsigned char *map, unsigned int nbits)
{
	const char *p = s;

	memset(map, 0, nbits);
	if (!strcmp(s, "none") || !*s)
		return 0;
	while (*p) {
		char *end;
		unsigned long a, b;

		a = b = strtoul(p, &end, 10);
		if (end == p)
			return -1;
		p = end;
		if (*p == '-') {
			b = strtoul(++p, &end, 10);
			if (end == p)
				return -1;
			p = end;
		}
		if (a > b || b >= nbits)
			return -1;
		while (a <= b)
			map[a++] = 1;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return 0;
}

static void ensure_cpus(void)
{
	if (!K.cpu)
		K.cpu = calloc(MAX_CPUS, sizeof(*K.cpu));
}

static struct kcpu *cpu_get(unsigned int n)
{
	ensure_cpus();
	return K.cpu ? &K.cpu[n] : NULL;
}

/* ---- directives ---------------------------------------------------- */

static int do_kernel(struct gen *g, char **argv, int argc, char *err,
		     size_t len, int configure)
{
	struct gen_params *p = configure ? gen_params(g) : NULL;
	int i;

	if (argc < 1)
		return kerr(err, len, "'kernel': missing family (6.1, 6.8, 6.12, 6.13)");
	K.series = K.pseudo_nmi = 0;
	if (!strcmp(argv[0], "6.1"))
		K.family = 601;
	else if (!strcmp(argv[0], "6.8"))
		K.family = 608;
	else if (!strcmp(argv[0], "6.12"))
		K.family = 612;
	else if (!strcmp(argv[0], "6.13"))
		K.family = 613;
	else
		return kerr(err, len, "'kernel': unknown family '%s'", argv[0]);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "series"))
			K.series = 1;
		else if (!strcmp(argv[i], "pseudo-nmi"))
			K.pseudo_nmi = 1;
		else
			return kerr(err, len, "'kernel': unknown option '%s'",
				    argv[i]);
	}
	if (K.series && K.family < 612)
		return kerr(err, len,
			    "'kernel': the SDEI-NMI series needs 6.12");

	/* Family layout defaults; the machine directives may override. */
	if (p) {
		switch (K.family) {
		case 601:
			p->kimage_vaddr = 0xffff800008000000ULL;
			p->version = KV(6, 1, 0);
			break;
		case 608:
			p->kimage_vaddr = 0xffff800080000000ULL;
			p->version = KV(6, 8, 0);
			break;
		case 613:
			p->kimage_vaddr = 0xffff800080000000ULL;
			p->version = KV(6, 13, 0);
			break;
		default:
			p->kimage_vaddr = 0xffff800080000000ULL;
			p->version = KV(6, 12, 0);
			break;
		}
		/* the machine derives "6.12.0-mkvmcore" unless `release` */
		/* Debian: KALLSYMS_ALL off in 6.1 cloud, on in 6.12 */
		gen_kallsyms_default(g, K.family == 601 ? GEN_KALLSYMS_TEXT :
					GEN_KALLSYMS_ALL);
	}
	return 0;
}

static int parse_pc(struct kcpu *c, const char *v)
{
	const char *plus;

	c->have_pc = 1;
	if (isdigit((unsigned char)v[0]))
		return parse_u64(v, &c->pc_val);
	plus = strchr(v, '+');
	if (!plus) {
		snprintf(c->pc_sym, sizeof(c->pc_sym), "%s", v);
		c->pc_val = 0;
		return 0;
	}
	if ((size_t)(plus - v) >= sizeof(c->pc_sym))
		return -1;
	memcpy(c->pc_sym, v, plus - v);
	c->pc_sym[plus - v] = 0;
	return parse_u64(plus + 1, &c->pc_val);
}

static const struct {
	const char *name;
	enum path path;
} paths[] = {
	{ "panic", P_PANIC }, { "ipi", P_IPI }, { "pnmi", P_PNMI },
	{ "pseudo-nmi", P_PNMI }, { "sdei", P_SDEI },
	{ "self-stop", P_SELF_STOP }, { "never", P_NEVER },
	{ "offline", P_OFFLINE }, { "stopped-nocrash", P_STOPPED_NOCRASH },
};

static int do_cpu(char **argv, int argc, char *err, size_t len)
{
	struct kcpu *c;
	uint64_t n;
	size_t i;
	int a;

	if (argc < 2 || parse_u64(argv[0], &n) || n >= MAX_CPUS)
		return kerr(err, len, "'cpu': usage 'cpu N PATH [options]'");
	c = cpu_get(n);
	if (!c)
		return kerr(err, len, "out of memory");
	memset(c, 0, sizeof(*c));
	c->el = -1;
	c->irqs_off = -1;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!strcmp(argv[1], paths[i].name))
			c->path = paths[i].path;
	if (c->path == P_UNSET)
		return kerr(err, len, "'cpu %u': unknown path '%s'",
			    (unsigned int)n, argv[1]);
	if (c->path == P_SDEI && !K.series)
		return kerr(err, len, "'cpu %u': SDEI stops need 'kernel 6.12 series'",
			    (unsigned int)n);
	if (c->path == P_PNMI && (!K.pseudo_nmi || K.family == 601))
		return kerr(err, len, "'cpu %u': NMI stops need a pseudo-nmi kernel (6.8+)",
			    (unsigned int)n);

	for (a = 2; a < argc; a++) {
		const char *o = argv[a];
		const char *v = strchr(o, '=');
		uint64_t x;

		v = v ? v + 1 : "";
		if (!strcmp(o, "el0")) {
			c->el = 0;
		} else if (!strcmp(o, "el1")) {
			c->el = 1;
		} else if (!strncmp(o, "pid=", 4)) {
			if (parse_u64(v, &x))
				goto bad;
			c->have_pid = 1;
			c->pid = (uint32_t)x;
		} else if (!strncmp(o, "pc=", 3)) {
			if (parse_pc(c, v))
				goto bad;
		} else if (!strcmp(o, "sp=off-stack")) {
			c->off_stack = 1;
		} else if (!strncmp(o, "sp=irq-stack-of:", 16)) {
			if (parse_u64(o + 16, &x) || x >= 65536)
				goto bad;
			c->sp_irq_of = (unsigned int)x + 1;
		} else if (!strncmp(o, "sp=", 3)) {
			if (parse_u64(v, &c->sp))
				goto bad;
			c->have_sp = 1;
		} else if (!strncmp(o, "pstate=", 7)) {
			if (parse_u64(v, &c->pstate))
				goto bad;
			c->have_pstate = 1;
		} else if (!strcmp(o, "irqs-off")) {
			c->irqs_off = 1;
		} else if (!strcmp(o, "irqs-on")) {
			c->irqs_off = 0;
		} else if (!strcmp(o, "note")) {
			if (c->path != P_SELF_STOP || !K.series)
				return kerr(err, len, "'cpu %u': 'note' is the series' self-stop variant",
					    (unsigned int)n);
			c->self_note = 1;
		} else if (!strcmp(o, "regs=zero")) {
			c->regs_zero = 1;
		} else if (!strcmp(o, "irq-regs=differ")) {
			c->irq_regs_differ = 1;
		} else if (!strcmp(o, "nested")) {
			c->nested = 1;
		} else if (!strcmp(o, "still-online")) {
			c->still_online = 1;
		} else if (!strcmp(o, "buffer=corrupt-name")) {
			c->buf = BUF_NAME;
		} else if (!strcmp(o, "buffer=corrupt-type")) {
			c->buf = BUF_TYPE;
		} else if (!strcmp(o, "buffer=corrupt-size")) {
			c->buf = BUF_SIZE;
		} else if (!strcmp(o, "file-note=absent")) {
			c->file = FILE_ABSENT;
		} else if (!strcmp(o, "file-note=extra")) {
			c->file = FILE_EXTRA;
		} else if (!strcmp(o, "file-note=differs")) {
			c->file = FILE_DIFFERS;
		} else if (!strcmp(o, "percpu=unreadable")) {
			c->percpu_unreadable = 1;
		} else if (!strcmp(o, "stack=unreadable")) {
			c->stack_unreadable = 1;
		} else if (!strcmp(o, "task-pid=differ")) {
			c->pid_differ = 1;
		} else if (!strcmp(o, "kstat=both")) {
			c->kstat = KSTAT_BOTH;
		} else if (!strcmp(o, "kstat=none")) {
			c->kstat = KSTAT_NONE;
		} else if (!strcmp(o, "kstat=2")) {
			c->kstat = KSTAT_2;
		} else if (!strcmp(o, "kstat=3")) {
			c->kstat = KSTAT_3;
		} else if (!strcmp(o, "frames=irq")) {
			c->frames = FLOW_IRQ;
		} else if (!strcmp(o, "frames=nmi")) {
			c->frames = FLOW_NMI;
		} else if (!strcmp(o, "frames=both")) {
			c->frames = FLOW_BOTH;
		} else if (!strcmp(o, "frames=none")) {
			c->frames = FLOW_NONE;
		} else if (!strcmp(o, "frames=absent")) {
			c->frames = FLOW_ABSENT;
		} else if (!strcmp(o, "note=none")) {
			c->note_none = 1;
		} else if (!strncmp(o, "pmr=", 4)) {
			if (parse_u64(v, &c->pmr) || c->pmr > 0xff)
				goto bad;
			c->have_pmr = 1;
		} else if (!strcmp(o, "irq-regs=null")) {
			c->irq_regs_null = 1;
		} else if (!strcmp(o, "sdei-event=note")) {
			c->sdei_event_note = 1;
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	return kerr(err, len, "'cpu %u': bad option '%s'", (unsigned int)n,
		    argv[a]);
}

static char *join_args(char **argv, int argc)
{
	size_t n = 1;
	char *s, *p;
	int i;

	for (i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = malloc(n);
	if (!s)
		return NULL;
	p = s;
	*p = 0;
	for (i = 0; i < argc; i++)
		p += sprintf(p, "%s%s", i ? " " : "", argv[i]);
	/* one pair of enclosing quotes */
	n = strlen(s);
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		memmove(s, s + 1, n - 2);
		s[n - 2] = 0;
	}
	return s;
}

/* Before gen_layout(): the family decides kimage_vaddr and friends. */
int kernel_configure(struct gen *g, const char *verb, char **argv, int argc,
		     char *err, size_t errlen)
{
	if (!strcmp(verb, "kernel"))
		return do_kernel(g, argv, argc, err, errlen, 1);
	return 0;
}

int kernel_directive(struct gen *g, const char *verb, char **argv, int argc,
		     char *err, size_t errlen)
{
	uint64_t n;

	if (!strcmp(verb, "kernel"))
		return do_kernel(g, argv, argc, err, errlen, 0);
	if (!strcmp(verb, "cpus") || !strcmp(verb, "nr-cpus-config")) {
		if (argc != 1 || parse_u64(argv[0], &n) || !n || n > MAX_CPUS)
			return kerr(err, errlen, "'%s': expected 1..%d", verb,
				    MAX_CPUS);
		if (!strcmp(verb, "cpus"))
			K.ncpus = (unsigned int)n;
		else
			K.nr_cpus = (unsigned int)n;
		return 0;
	}
	if (!strcmp(verb, "present") || !strcmp(verb, "online") ||
	    !strcmp(verb, "active")) {
		char **slot = verb[0] == 'p' ? &K.present_list :
			      verb[0] == 'o' ? &K.online_list : &K.active_list;

		if (argc != 1)
			return kerr(err, errlen, "'%s': expected a CPU list",
				    verb);
		free(*slot);
		*slot = strdup(argv[0]);
		return 0;
	}
	if (!strcmp(verb, "cpu"))
		return do_cpu(argv, argc, err, errlen);
	if (!strcmp(verb, "pseudo-nmi-flag")) {
		if (argc != 1 || strcmp(argv[0], "unreadable"))
			return kerr(err, errlen, "'pseudo-nmi-flag': expected 'unreadable'");
		K.pnmi_flag_unreadable = 1;
		return 0;
	}
	if (!strcmp(verb, "no-auto-log")) {
		K.auto_log = 0;
		return 0;
	}
	if (!strcmp(verb, "no-sdei")) {
		if (K.series)
			return kerr(err, errlen, "'no-sdei': the series needs SDEI");
		K.sdei = 0;
		return 0;
	}
	if (!strcmp(verb, "log")) {
		char *text = join_args(argv, argc);

		if (!text || printk_add(text, 6) < 0) {
			free(text);
			return kerr(err, errlen, "'log': out of memory");
		}
		free(text);
		return 0;
	}
	return kerr(err, errlen, "unknown directive '%s'", verb);
}

/* ---- building ------------------------------------------------------ */

/* A text symbol's address plus an offset; creates unknown symbols. */
static uint64_t text(struct gen *g, const char *name, uint64_t off)
{
	uint64_t a = gen_symbol_addr(g, name);

	if (!a)
		a = gen_text_symbol(g, name, 0x200 > off ? 0x200 : off + 0x40);
	return a + off;
}

static int w64(struct gen *g, uint64_t va, uint64_t v, int *ok)
{
	if (gen_write_u64(g, va, v)) {
		*ok = 0;
		return -1;
	}
	return 0;
}

/* A frame record {fp, lr} at @at. */
static void frame(struct gen *g, uint64_t at, uint64_t fp, uint64_t lr,
		  int *ok)
{
	w64(g, at, fp, ok);
	w64(g, at + 8, lr, ok);
}

/* Offset of pt_regs::stackframe in this family's layout. */
static uint64_t pt_stackframe(void)
{
	return K.family >= 613 ? PT_STACKFRAME_613 : PT_STACKFRAME;
}

/*
 * The record every unwind of a task ends at: task_pt_regs(tsk)->stackframe
 * under the stack's top, {0, 0}, with type FINAL from v6.13. Returns its
 * address.
 */
static uint64_t final_record(struct gen *g, uint64_t top, int *ok)
{
	uint64_t at = top - PT_REGS_SIZE + pt_stackframe();

	frame(g, at, 0, 0, ok);
	if (K.family >= 613)
		w64(g, at + 16, FRAME_META_TYPE_FINAL, ok);
	return at;
}

static const struct {
	const char *name;
	uint64_t size;
	int series;
} text_syms[] = {
	{ "el1h_64_irq", 0x80, 0 }, { "el0t_64_irq", 0x80, 0 },
	{ "el0t_64_sync", 0x190, 0 },
	{ "call_on_irq_stack", 0x58, 0 },
	{ "__sdei_asm_handler", 0x1c0, 0 },
	{ "default_idle_call", 0x60, 0 }, { "do_idle", 0x200, 0 },
	{ "cpu_startup_entry", 0x40, 0 }, { "secondary_start_kernel", 0x180, 0 },
	{ "arch_cpu_idle", 0x30, 0 }, { "cpu_park_loop", 0x20, 0 },
	{ "el1h_64_irq_handler", 0x28, 0 }, { "el0t_64_irq_handler", 0x20, 0 },
	{ "el0t_64_sync_handler", 0x120, 0 }, { "el0_svc", 0xdc, 0 },
	{ "invoke_syscall", 0xe0, 0 }, { "ksys_write", 0x11c, 0 },
	{ "__arch_clear_user", 0x60, 0 }, { "stuck_loop", 0x40, 0 },
	{ "kthread", 0x118, 0 }, { "ret_from_fork", 0x10, 0 },
	{ "__gic_handle_irq_from_irqson", 0x1e0, 0 },
	{ "__gic_handle_irq_from_irqsoff", 0x100, 0 },
	{ "gic_handle_irq", 0x90, 0 },
	{ "handle_percpu_devid_irq", 0x150, 0 },
	{ "handle_percpu_devid_fasteoi_nmi", 0x120, 0 },
	{ "ipi_handler", 0x270, 0 }, { "do_handle_IPI", 0x270, 0 },
	{ "ipi_cpu_crash_stop", 0x90, 0 }, { "local_cpu_stop", 0x50, 0 },
	{ "smp_send_stop", 0x1d0, 0 }, { "crash_smp_send_stop", 0x140, 0 },
	{ "panic_smp_self_stop", 0x2c, 0 },
	{ "arm64_nmi_cpu_stop", 0xa0, 1 }, { "sdei_nmi_handler", 0x60, 1 },
	{ "__sdei_handler", 0xd0, 0 }, { "do_sdei_event", 0xf0, 0 },
	{ "sdei_event_handler", 0x80, 0 },
	{ "crash_save_cpu", 0x110, 0 }, { "append_elf_note", 0x90, 0 },
	{ "machine_crash_shutdown", 0xc0, 0 }, { "__crash_kexec", 0x184, 0 },
	{ "machine_kexec", 0x214, 0 }, { "panic", 0x364, 0 },
	{ "sysrq_handle_crash", 0x28, 0 }, { "__handle_sysrq", 0x19c, 0 },
	{ "write_sysrq_trigger", 0xc0, 0 },
};

/* Does this CPU take the stop as a pseudo-NMI? */
static int takes_nmi(const struct kcpu *c)
{
	if (c->path == P_PNMI)
		return 1;
	/* v6.7-v6.10: every crash stop is an NMI with priority masking */
	return c->path == P_IPI && K.family == 608 && K.pseudo_nmi;
}

/* Interrupted in the idle loop: the default for the stop IPIs. */
static int is_idle(const struct kcpu *c)
{
	if (c->path != P_IPI && c->path != P_PNMI &&
	    c->path != P_STOPPED_NOCRASH)
		return 0;
	if (c->el == 0 || c->have_pid)
		return 0;
	return !c->have_pc || !strcmp(c->pc_sym, "default_idle_call") ||
	       !strcmp(c->pc_sym, "arch_cpu_idle") ||
	       !strcmp(c->pc_sym, "cpu_do_idle");
}

static uint64_t user_pc(unsigned int cpu)
{
	return 0x0000aaaab0e40000ULL + 0x1234 + cpu * 0x100;
}

static uint64_t user_sp(unsigned int cpu)
{
	return 0x0000ffffe8c3e000ULL - cpu * 0x10000 + 0x170;
}

static uint64_t default_pid(unsigned int n, const struct kcpu *c)
{
	if (c->have_pid)
		return c->pid;
	switch (c->path) {
	case P_PANIC:
		return 200 + n;
	case P_OFFLINE:
		return 0;
	case P_SELF_STOP:
		return 210 + n;
	default:
		break;
	}
	if (is_idle(c))
		return 0;
	return 100 + n;
}

static void fill_gprs(uint64_t *r, unsigned int n, uint64_t task)
{
	int i;

	for (i = 0; i < 19; i++)
		r[i] = (uint64_t)i * 0x11 + n;
	for (i = 19; i < 29; i++)
		r[i] = task + (uint64_t)i * 8;
}

/*
 * The interrupted context's own frame records on the task stack: the
 * record at sp (= x29) names its caller, up to the final record
 * task_pt_regs(tsk)->stackframe = {0, 0}. Returns the lr the interrupted
 * function holds.
 */
static uint64_t task_chain(struct gen *g, struct kcpu *c, uint64_t s,
			   int idle, int *ok)
{
	uint64_t top = c->tstack + K.thread_size;
	uint64_t final = top - PT_REGS_SIZE + pt_stackframe();
	uint64_t lr1, lr2, lr3;

	if (idle) {
		lr1 = text(g, "do_idle", 0x1a4);
		lr2 = text(g, "cpu_startup_entry", 0x30);
		lr3 = text(g, "secondary_start_kernel", 0x160);
	} else {
		lr1 = text(g, "ksys_write", 0x7c);
		lr2 = text(g, "invoke_syscall", 0x68);
		lr3 = text(g, "el0t_64_sync_handler", 0xf4);
	}
	if (s + 0xa0 > final)
		return lr1;	/* a hand-placed sp: no room for callers */
	frame(g, s, s + 0x40, lr1, ok);
	frame(g, s + 0x40, s + 0x80, lr2, ok);
	frame(g, s + 0x80, final, lr3, ok);
	final_record(g, top, ok);
	return lr1;
}

/* The user-mode pt_regs at the top of a user task's kernel stack. */
static void top_user_regs(struct gen *g, struct kcpu *c, unsigned int n,
			  int *ok)
{
	uint64_t a = c->tstack + K.thread_size - PT_REGS_SIZE;
	int i;

	for (i = 0; i < 29; i++)
		w64(g, a + 8 * i, 0x100 + i, ok);
	w64(g, a + 29 * 8, user_sp(n) + 0x40, ok);
	w64(g, a + 30 * 8, user_pc(n) - 0x80, ok);
	w64(g, a + PT_SP, user_sp(n) - 0x400, ok);
	w64(g, a + PT_PC, user_pc(n) + 0x400, ok);
	w64(g, a + PT_PSTATE, 0x80000000, ok);
	gen_write_u32(g, a + PT_SYSCALLNO, 64);	/* write(2) */
	/* entry from EL0: the task's final record */
	final_record(g, c->tstack + K.thread_size, ok);
}

/* Writes a pt_regs built from @r at @a. */
static void write_pt_regs(struct gen *g, uint64_t a, const uint64_t *r,
			  uint64_t pmr, int el1, int *ok)
{
	int i;

	for (i = 0; i < 34; i++)
		w64(g, a + 8 * i, r[i], ok);
	w64(g, a + PT_ORIG_X0, r[0], ok);
	gen_write_u32(g, a + PT_SYSCALLNO, 0xffffffff);	/* NO_SYSCALL */
	if (K.family >= 613) {
		/* u32 pmr; kernel_entry: a metadata record {0, 0, type} */
		gen_write_u32(g, a + PT_PMR_613, (uint32_t)pmr);
		w64(g, a + PT_STACKFRAME_613, 0, ok);
		w64(g, a + PT_STACKFRAME_613 + 8, 0, ok);
		w64(g, a + PT_STACKFRAME_613 + 16,
		    el1 ? FRAME_META_TYPE_PT_REGS : FRAME_META_TYPE_FINAL, ok);
		return;
	}
	w64(g, a + PT_PMR_SAVE, pmr, ok);
	/* kernel_entry: {x29, ELR} from EL1, zeros from EL0 (<= 6.12) */
	w64(g, a + PT_STACKFRAME, el1 ? r[29] : 0, ok);
	w64(g, a + PT_STACKFRAME + 8, el1 ? r[32] : 0, ok);
}

/*
 * The interrupted registers (note = what the exception entry saved) for
 * the interrupted paths (ipi, pnmi, sdei, never, stopped-nocrash).
 */
static void interrupted_context(struct gen *g, struct kcpu *c, unsigned int n,
				int *ok)
{
	uint64_t *r = c->regs;
	uint64_t top = c->tstack + K.thread_size;
	int idle;

	fill_gprs(r, n, c->task);
	if (c->el == 0) {
		r[29] = user_sp(n) + 0x20;
		r[30] = user_pc(n) - 0x40;
		r[31] = c->have_sp ? c->sp : user_sp(n);
		r[32] = user_pc(n);
		if (c->have_pc)
			r[32] = c->pc_sym[0] ? text(g, c->pc_sym, c->pc_val) :
					       c->pc_val;
		r[33] = 0x80000000;
		if (c->irqs_off == 1)
			r[33] |= PSR_IF;
		if (c->have_pstate)
			r[33] = c->pstate;
		top_user_regs(g, c, n, ok);
		return;
	}
	idle = is_idle(c);
	if (c->have_pc)
		r[32] = c->pc_sym[0] ? text(g, c->pc_sym, c->pc_val) :
				       c->pc_val;
	else if (idle)
		r[32] = text(g, "default_idle_call", 0x38);
	else
		r[32] = text(g, "stuck_loop", 0x10);
	r[31] = c->have_sp ? c->sp : top - PT_REGS_SIZE - 0x200;
	r[29] = r[31];
	r[33] = idle ? 0x80000005 : 0x20000005;	/* NZCV as found in realcores */
	if (c->irqs_off == 1 && !(K.pseudo_nmi && c->path != P_SDEI &&
				  c->path != P_NEVER))
		r[33] |= PSR_IF;
	if (c->have_pstate)
		r[33] = c->pstate;
	if (c->have_sp && (r[31] < c->tstack || r[31] >= top))
		r[30] = text(g, "do_idle", 0x1a4);
	else
		r[30] = task_chain(g, c, r[31], idle, ok);
	if (!idle)
		top_user_regs(g, c, n, ok);
}

/* A frame record @size bytes below *rec, linked to it, returning into @lr. */
static void push(struct gen *g, uint64_t *rec, uint64_t size, uint64_t lr,
		 int *ok)
{
	uint64_t up = *rec;

	*rec -= size;
	frame(g, *rec, up, lr, ok);
}

/* The NMI flow: gic_handle_irq -> __gic_handle_irq_from_irqsoff/irqson. */
static void nmi_flow(struct gen *g, uint64_t *rec, uint64_t pmr, int *ok)
{
	push(g, rec, 0x30, text(g, "gic_handle_irq", 0x5c), ok);
	push(g, rec, 0x40, pmr == GIC_PRIO_IRQOFF ?
	     text(g, "__gic_handle_irq_from_irqsoff", 0xb8) :
	     text(g, "__gic_handle_irq_from_irqson", 0x1b0), ok);
	push(g, rec, 0x50,		/* ipi_handler's record */
	     text(g, "handle_percpu_devid_fasteoi_nmi", 0xa4), ok);
}

/*
 * frames=both: the NMI landed in the IRQ stop's ipi_handler before
 * local_daif_mask(). Its exception pt_regs P sits on the IRQ stack under
 * ipi_handler's frame (no call_on_irq_stack: already there), with the
 * entry record linking to P's stackframe, then the NMI flow.
 */
static void nested_nmi_flow(struct gen *g, struct kcpu *c, uint64_t *rec,
			    int *ok)
{
	uint64_t p[34], a, r6;
	int i;

	for (i = 0; i < 29; i++)
		p[i] = c->regs[i];
	p[29] = *rec;				/* ipi_handler's record */
	p[30] = text(g, "handle_percpu_devid_irq", 0x94);
	p[31] = *rec - 0x40;			/* sp when interrupted */
	p[32] = text(g, "ipi_handler", 0x40);
	p[33] = PSR_MODE_EL1H;
	a = p[31] - PT_REGS_SIZE;
	write_pt_regs(g, a, p, GIC_PRIO_IRQOFF, 1, ok);
	r6 = a - 0x10;
	frame(g, r6, a + pt_stackframe(), text(g, "el1h_64_irq", 0x6c), ok);
	*rec = r6;
	push(g, rec, 0x30, text(g, "el1h_64_irq_handler", 0x18), ok);
	nmi_flow(g, rec, GIC_PRIO_IRQOFF, ok);
}

/*
 * The IRQ or NMI path: pt_regs A on the interrupted stack, the entry
 * records below it, call_on_irq_stack's record, then the handler chain on
 * the IRQ stack down to crash_save_cpu (or local_cpu_stop). Returns A.
 */
static uint64_t irq_entry(struct gen *g, struct kcpu *c, enum flow flow,
			  uint64_t pmr, int crash, int *ok)
{
	uint64_t *r = c->regs;
	uint64_t a, r5, r6, rec, itop = c->istack + K.thread_size;
	int el1 = c->el != 0;
	int wok = 1;

	if (el1)
		a = r[31] - PT_REGS_SIZE;
	else
		a = c->tstack + K.thread_size - PT_REGS_SIZE;
	/* a hand-placed sp may point anywhere: then only what fits */
	write_pt_regs(g, a, r, pmr, el1, &wok);
	/* el1h_64_irq_handler / el0t_64_irq_handler, then call_on_irq_stack */
	r6 = a - 0x10;
	r5 = a - 0x20;
	frame(g, r6, a + pt_stackframe(),
	      el1 ? text(g, "el1h_64_irq", 0x6c) : text(g, "el0t_64_irq", 0x6c),
	      &wok);
	frame(g, r5, r6,
	      el1 ? text(g, "el1h_64_irq_handler", 0x18) :
		    text(g, "el0t_64_irq_handler", 0x14), &wok);
	if (!wok && !c->have_sp)
		*ok = 0;

	if (flow == FLOW_ABSENT)
		return a;	/* nothing of the stop on the IRQ stack */
	/* The IRQ stack, from its top down. */
	rec = itop - 0x20;		/* gic_handle_irq's record */
	frame(g, rec, r5, text(g, "call_on_irq_stack", 0x3c), ok);
	switch (flow) {
	case FLOW_NMI:
		nmi_flow(g, &rec, pmr, ok);
		break;
	case FLOW_NONE:
		/* no flow handler: ipi_handler's record names gic_handle_irq */
		push(g, &rec, 0x40, text(g, "gic_handle_irq", 0x6c), ok);
		break;
	default:
		push(g, &rec, 0x40,	/* handle_percpu_devid_irq's */
		     text(g, "gic_handle_irq", 0x6c), ok);
		push(g, &rec, 0x50,	/* ipi_handler's */
		     text(g, "handle_percpu_devid_irq", 0x94), ok);
		if (flow == FLOW_BOTH)
			nested_nmi_flow(g, c, &rec, ok);
		break;
	}
	if (crash) {
		/* crash_save_cpu's (elf_prstatus local), append_elf_note's */
		push(g, &rec, 0x1c0, text(g, "ipi_handler", 0x1e4), ok);
		push(g, &rec, 0x30, text(g, "crash_save_cpu", 0x9c), ok);
	} else {
		push(g, &rec, 0x30,	/* local_cpu_stop's */
		     text(g, "ipi_handler", 0x1b0), ok);
	}
	return a;
}

/* SDEI: the normal-stack records; the top one is {x29, ELR}. */
static void sdei_entry(struct gen *g, struct kcpu *c, int *ok)
{
	uint64_t top = c->sstack_n + K.thread_size;
	uint64_t rtop = top - 0x10, rec, up;
	int el1 = c->el != 0;

	frame(g, rtop, el1 ? c->regs[29] : 0, el1 ? c->regs[32] : 0, ok);
	rec = rtop - 0x30;		/* __sdei_handler's */
	frame(g, rec, rtop, text(g, "__sdei_asm_handler", 0x114), ok);
	up = rec;
	rec -= 0x30;			/* do_sdei_event's */
	frame(g, rec, up, text(g, "__sdei_handler", 0x70), ok);
	up = rec;
	rec -= 0x40;			/* sdei_nmi_handler's */
	frame(g, rec, up, text(g, "do_sdei_event", 0xb4), ok);
	up = rec;
	rec -= 0x30;			/* arm64_nmi_cpu_stop's */
	frame(g, rec, up, text(g, "sdei_nmi_handler", 0x3c), ok);
	up = rec;
	rec -= 0x1c0;			/* crash_save_cpu's */
	frame(g, rec, up, text(g, "arm64_nmi_cpu_stop", 0x48), ok);
	up = rec;
	rec -= 0x30;
	frame(g, rec, up, text(g, "crash_save_cpu", 0x9c), ok);
}

static void build_note(struct kcpu *c, uint32_t pid)
{
	uint8_t *b = c->note;
	uint32_t h[3] = { 5, PRSTATUS_SIZE, 1 };

	memset(b, 0, NOTE_BUF_SIZE);
	if (c->buf == BUF_SIZE)
		h[1] = 0x1000;
	if (c->buf == BUF_TYPE)
		h[2] = 2;	/* NT_PRFPREG */
	memcpy(b, h, sizeof(h));
	memcpy(b + 12, c->buf == BUF_NAME ? "CRSH" : "CORE", 4);
	memcpy(b + NOTE_DESC + PR_PID, &pid, 4);
	if (!c->regs_zero)
		memcpy(b + NOTE_DESC + PR_REG, c->regs, sizeof(c->regs));
	c->has_note = 1;
}

/* The panicking CPU: crash_setup_regs(NULL) inside __crash_kexec. */
static void panic_context(struct gen *g, struct kcpu *c, unsigned int n,
			  int *ok)
{
	uint64_t *r = c->regs;
	uint64_t top = c->tstack + K.thread_size;
	uint64_t final = top - PT_REGS_SIZE + pt_stackframe();
	uint64_t s = top - PT_REGS_SIZE - 0x300;

	fill_gprs(r, n, c->task);
	r[31] = c->have_sp ? c->sp : s;
	r[29] = r[31];
	r[30] = text(g, "panic", 0x198);
	if (c->have_pc)
		r[32] = c->pc_sym[0] ? text(g, c->pc_sym, c->pc_val) :
				       c->pc_val;
	else
		r[32] = text(g, "__crash_kexec", K.family == 601 ? 0x178 :
						 0x164);
	/* Faked CurrentEL|SPSel|DAIF; with PMR masking DAIF stays clear. */
	r[33] = K.pseudo_nmi ? 0x40000005 : 0x3c5;
	if (c->el == 0)
		r[33] = 0x80000000;
	if (c->have_pstate)
		r[33] = c->pstate;
	if (c->have_sp)
		return;
	/* panic <- sysrq_handle_crash <- __handle_sysrq <- write_sysrq_trigger */
	frame(g, s, s + 0x50, r[30], ok);
	frame(g, s + 0x50, s + 0xa0, text(g, "sysrq_handle_crash", 0x20), ok);
	frame(g, s + 0xa0, s + 0x100, text(g, "__handle_sysrq", 0x90), ok);
	frame(g, s + 0x100, s + 0x180, text(g, "write_sysrq_trigger", 0x7c),
	      ok);
	frame(g, s + 0x180, final, text(g, "el0t_64_sync_handler", 0xf4), ok);
	final_record(g, top, ok);
	/* machine_kexec ran last below __crash_kexec's frame */
	frame(g, s - 0x30, s, text(g, "__crash_kexec", 0xa8), ok);
	frame(g, s - 0x60, s - 0x30, text(g, "machine_kexec", 0x44), ok);
	top_user_regs(g, c, n, ok);
}

/* panic_smp_self_stop(): the loser of the panic_cpu race. */
static void self_stop_context(struct gen *g, struct kcpu *c, unsigned int n,
			      int *ok)
{
	uint64_t *r = c->regs;
	uint64_t top = c->tstack + K.thread_size;
	uint64_t final = top - PT_REGS_SIZE + pt_stackframe();
	uint64_t s = top - PT_REGS_SIZE - 0x200;
	uint64_t stop_fn = K.series ? text(g, "arm64_nmi_cpu_stop", 0x30) :
				      text(g, "local_cpu_stop", 0x20);

	fill_gprs(r, n, c->task);
	r[31] = c->have_sp ? c->sp : s;
	r[29] = r[31];
	r[30] = text(g, "panic_smp_self_stop", 0x1c);
	r[32] = c->have_pc ? (c->pc_sym[0] ? text(g, c->pc_sym, c->pc_val) :
				c->pc_val) : stop_fn;
	r[33] = PSR_DAIF | PSR_MODE_EL1H;
	if (c->have_pstate)
		r[33] = c->pstate;
	if (c->have_sp)
		return;
	frame(g, s, s + 0x40, r[30], ok);
	frame(g, s + 0x40, s + 0x90, text(g, "panic", 0x9c), ok);
	frame(g, s + 0x90, s + 0x100, text(g, "__handle_sysrq", 0x90), ok);
	frame(g, s + 0x100, final, text(g, "el0t_64_sync_handler", 0xf4), ok);
	final_record(g, top, ok);
	top_user_regs(g, c, n, ok);
}

static void set_bit(uint8_t *map, unsigned int n)
{
	map[n / 8] |= 1u << (n % 8);
}

static int write_mask(struct gen *g, const char *name, unsigned int nbits,
		      int (*get)(const struct kcpu *))
{
	unsigned int words = (K.nr_cpus + 63) / 64, i;
	uint8_t *map = calloc(words, 8);
	uint64_t va;
	int ret;

	if (!map)
		return -1;
	for (i = 0; i < nbits; i++)
		if (get(&K.cpu[i]))
			set_bit(map, i);
	va = gen_alloc_kimage(g, words * 8ULL, 8, name);
	ret = va ? gen_write(g, va, map, words * 8ULL) : -1;
	free(map);
	return ret;
}

static int get_possible(const struct kcpu *c) { (void)c; return 1; }
static int get_present(const struct kcpu *c) { return c->present; }
static int get_online(const struct kcpu *c) { return c->online; }
static int get_active(const struct kcpu *c) { return c->active; }

static int apply_override(const char *list, int which, char *err,
			  size_t len)
{
	unsigned char *map;
	unsigned int i;

	if (!list)
		return 0;
	map = calloc(K.ncpus, 1);
	if (!map)
		return kerr(err, len, "out of memory");
	if (parse_list(list, map, K.ncpus)) {
		free(map);
		return kerr(err, len, "bad CPU list '%s' (CPUs 0-%u)", list,
			    K.ncpus - 1);
	}
	for (i = 0; i < K.ncpus; i++) {
		if (which == 'p')
			K.cpu[i].present = map[i];
		else if (which == 'o')
			K.cpu[i].online = map[i];
		else
			K.cpu[i].active = map[i];
	}
	free(map);
	return 0;
}

/* Masks after the stop, per family (KERNEL.md §1, §6). */
static void final_masks(void)
{
	unsigned int i;

	for (i = 0; i < K.ncpus; i++) {
		struct kcpu *c = &K.cpu[i];

		c->present = 1;
		c->active = c->path != P_OFFLINE;
		switch (c->path) {
		case P_PANIC:
		case P_NEVER:
			c->online = 1;
			break;
		case P_IPI:
		case P_PNMI:
			/* 6.1 and v6.7-v6.10 never clear it */
			c->online = K.family < 612 || c->still_online;
			break;
		case P_SDEI:
			c->online = c->still_online;
			break;
		default:		/* offline, self-stop, stopped-nocrash */
			c->online = 0;
			break;
		}
	}
}

/* A "%*pbl"-style list of the CPUs for which @pick is true. */
static void cpu_list(char *buf, size_t len, int (*pick)(unsigned int))
{
	unsigned int i, j;
	size_t o = 0;

	buf[0] = 0;
	for (i = 0; i < K.ncpus; i++) {
		if (!pick(i))
			continue;
		for (j = i; j + 1 < K.ncpus && pick(j + 1); j++)
			;
		if (j == i)
			o += snprintf(buf + o, o < len ? len - o : 0, "%s%u",
				      o ? "," : "", i);
		else
			o += snprintf(buf + o, o < len ? len - o : 0,
				      "%s%u-%u", o ? "," : "", i, j);
		i = j;
	}
}

/* CPUs the stop reached: online, not the panic CPU, at stop time. */
static int at_stop(unsigned int i)
{
	enum path p = K.cpu[i].path;

	return p == P_IPI || p == P_PNMI || p == P_SDEI || p == P_NEVER;
}

static int after_irq(unsigned int i)
{
	const struct kcpu *c = &K.cpu[i];

	return c->path == P_PNMI || c->path == P_SDEI || c->path == P_NEVER ||
	       (c->path == P_IPI && c->still_online);
}

static int after_nmi(unsigned int i)
{
	const struct kcpu *c = &K.cpu[i];

	if (!after_irq(i))
		return 0;
	if (K.pseudo_nmi && c->path == P_PNMI && !c->still_online)
		return 0;
	return 1;
}

static int after_sdei(unsigned int i)
{
	const struct kcpu *c = &K.cpu[i];

	if (!after_nmi(i))
		return 0;
	return !(K.series && c->path == P_SDEI && !c->still_online);
}

static int any(int (*pick)(unsigned int))
{
	unsigned int i;

	for (i = 0; i < K.ncpus; i++)
		if (pick(i))
			return 1;
	return 0;
}

static int count(int (*pick)(unsigned int))
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < K.ncpus; i++)
		n += !!pick(i);
	return n;
}

static int never_answered(unsigned int i)
{
	return K.cpu[i].path == P_NEVER;
}

static void stop_log(void)
{
	char list[1024];

	printk_add("Kernel panic - not syncing: sysrq triggered crash", 0);
	printk_add("SMP: stopping secondary CPUs", 2);
	if (K.family < 612) {
		/* crash_smp_send_stop(): the mask is every CPU still online */
		if (any(never_answered)) {
			char line[1100];

			cpu_list(list, sizeof(list), at_stop);
			snprintf(line, sizeof(line),
				 "SMP: failed to stop secondary CPUs %s", list);
			printk_add(line, 4);
		}
	} else {
		char line[1100];

		if (K.pseudo_nmi && any(after_irq)) {
			cpu_list(list, sizeof(list), after_irq);
			snprintf(line, sizeof(line),
				 "SMP: retry stop with NMI for CPUs %s", list);
			printk_add(line, 6);
		}
		if (K.series && any(after_nmi)) {
			cpu_list(list, sizeof(list), after_nmi);
			snprintf(line, sizeof(line),
				 "SMP: retry stop with SDEI NMI for CPUs %s",
				 list);
			printk_add(line, 6);
		}
		if (any(after_sdei)) {
			cpu_list(list, sizeof(list), after_sdei);
			snprintf(line, sizeof(line),
				 "SMP: failed to stop secondary CPUs %s", list);
			printk_add(line, 4);
		}
	}
	printk_add("Starting crashdump kernel...", 6);
	if (K.family < 612 ? any(never_answered) : any(after_sdei))
		printk_add("Some CPUs may be stale, kdump will be unreliable.",
			   4);
	printk_add("Bye!", 6);
}

static int alloc_globals(struct gen *g, uint64_t *crash_notes_va, char *err,
			 size_t len)
{
	uint64_t va;
	size_t i;

	for (i = 0; i < sizeof(text_syms) / sizeof(text_syms[0]); i++) {
		if (text_syms[i].series && !K.series)
			continue;
		if (!gen_symbol_addr(g, text_syms[i].name) &&
		    !gen_text_symbol(g, text_syms[i].name, text_syms[i].size))
			return kerr(err, len, "cannot add text symbol '%s'",
				    text_syms[i].name);
	}

	/* The static per-CPU section: the template every unit copies. */
	K.pcpu_start = gen_alloc_kimage(g, PCPU_STATIC_SIZE, K.page_size,
					"__per_cpu_start");
	if (!K.pcpu_start)
		return kerr(err, len, "cannot allocate the per-CPU section");
	gen_symbol(g, "__irq_regs", K.pcpu_start + PCPU_IRQ_REGS, 'D');
	gen_symbol(g, "irq_stack_ptr", K.pcpu_start + PCPU_IRQ_STACK_PTR,
		   'D');
	gen_symbol(g, "__entry_task", K.pcpu_start + PCPU_ENTRY_TASK, 'D');
	if (K.sdei) {
		gen_symbol(g, "sdei_active_normal_event",
			   K.pcpu_start + PCPU_SDEI_ACT_NORMAL, 'D');
		gen_symbol(g, "sdei_active_critical_event",
			   K.pcpu_start + PCPU_SDEI_ACT_CRIT, 'D');
		gen_symbol(g, "sdei_stack_normal_ptr",
			   K.pcpu_start + PCPU_SDEI_STACK_NORMAL, 'd');
		gen_symbol(g, "sdei_stack_critical_ptr",
			   K.pcpu_start + PCPU_SDEI_STACK_CRIT, 'd');
	}
	gen_symbol(g, "overflow_stack", K.pcpu_start + PCPU_OVERFLOW_STACK,
		   'D');
	gen_symbol(g, "__per_cpu_end", K.pcpu_start + PCPU_STATIC_SIZE, 'D');

	va = gen_alloc_kimage(g, 8ULL * K.nr_cpus, 8, "__per_cpu_offset");
	if (!va)
		return kerr(err, len, "cannot allocate '__per_cpu_offset'");
	for (i = 0; i < K.ncpus; i++)
		gen_write_u64(g, va + 8 * i, K.cpu[i].pcpu - K.pcpu_start);

	va = gen_alloc_kimage(g, 4, 4, "nr_cpu_ids");
	if (!va || gen_write_u32(g, va, K.ncpus))
		return kerr(err, len, "cannot write 'nr_cpu_ids'");

	if (write_mask(g, "__cpu_possible_mask", K.ncpus, get_possible) ||
	    write_mask(g, "__cpu_present_mask", K.ncpus, get_present) ||
	    write_mask(g, "__cpu_online_mask", K.ncpus, get_online) ||
	    write_mask(g, "__cpu_active_mask", K.ncpus, get_active))
		return kerr(err, len, "cannot write the CPU masks");

	va = gen_alloc_kimage(g, 4, 4, "panic_cpu");
	if (!va)
		return kerr(err, len, "cannot allocate 'panic_cpu'");
	gen_write_u32(g, va, 0xffffffff);
	for (i = 0; i < K.ncpus; i++)
		if (K.cpu[i].path == P_PANIC)
			gen_write_u32(g, va, (uint32_t)i);

	*crash_notes_va = gen_alloc_kimage(g, 8, 8, "crash_notes");
	if (!*crash_notes_va ||
	    gen_write_u64(g, *crash_notes_va, K.pcpu_start + K.dyn_notes))
		return kerr(err, len, "cannot write 'crash_notes'");

	if (K.family < 612) {
		va = gen_alloc_kimage(g, 4, 4, "waiting_for_crash_ipi");
		if (!va || gen_write_u32(g, va, (uint32_t)count(never_answered)))
			return kerr(err, len, "cannot write 'waiting_for_crash_ipi'");
	} else {
		va = gen_alloc_kimage(g, 4, 4, "crash_stop");
		if (!va || gen_write_u32(g, va, 1))
			return kerr(err, len, "cannot write 'crash_stop'");
	}
	if (K.pseudo_nmi || K.pnmi_flag_unreadable) {
		/* unreadable: a page of its own, nothing else goes with it */
		if (K.pnmi_flag_unreadable) {
			va = gen_alloc_kimage(g, K.page_size, K.page_size,
					      NULL);
			if (va && gen_symbol_sized(g, "enable_pseudo_nmi", va,
						   'D', 1))
				va = 0;
		} else {
			va = gen_alloc_kimage(g, 1, 1, "enable_pseudo_nmi");
		}
		if (!va || gen_write(g, va, K.pseudo_nmi ? "\1" : "\0", 1))
			return kerr(err, len, "cannot write 'enable_pseudo_nmi'");
	}
	if (K.series) {
		int stopping = 0;

		for (i = 0; i < K.ncpus; i++)
			stopping |= K.cpu[i].path == P_SDEI;
		va = gen_alloc_kimage(g, 4, 4, "sdei_nmi_stopping");
		if (!va || gen_write_u32(g, va, (uint32_t)stopping))
			return kerr(err, len, "cannot write 'sdei_nmi_stopping'");
	}
	return 0;
}

/*
 * This CPU's counts of the two stop IPIs. The flow handler counts an IPI
 * before its handler runs (KERNEL.md §1.1), and a crash stop never
 * returns: a CPU counts the one stop it took. Index 3 is
 * IPI_CPU_CRASH_STOP before v6.11 (the 6.1 and 6.8 crash stop, IRQ or
 * NMI) and IPI_CPU_STOP_NMI from v6.11.
 */
static void stop_counts(const struct kcpu *c, uint32_t *cnt)
{
	cnt[IPI_CPU_STOP] = cnt[IPI_CPU_STOP_NMI] = 0;
	switch (c->kstat) {
	case KSTAT_BOTH:
		cnt[IPI_CPU_STOP] = cnt[IPI_CPU_STOP_NMI] = 1;
		return;
	case KSTAT_NONE:
		return;
	case KSTAT_2:
		cnt[IPI_CPU_STOP] = 1;
		return;
	case KSTAT_3:
		cnt[IPI_CPU_STOP_NMI] = 1;
		return;
	case KSTAT_PATH:
		break;
	}
	switch (c->path) {
	case P_IPI:
	case P_PNMI:
		if (K.family < 612) {
			cnt[IPI_CPU_STOP_NMI] = 1;
			break;
		}
		cnt[c->path == P_PNMI ? IPI_CPU_STOP_NMI : IPI_CPU_STOP] = 1;
		/* nested: the NMI rung landed inside the IRQ stop */
		if (c->nested && c->path == P_IPI && K.pseudo_nmi)
			cnt[IPI_CPU_STOP_NMI] = 1;
		break;
	case P_STOPPED_NOCRASH:
		cnt[IPI_CPU_STOP] = 1;	/* local_cpu_stop() */
		break;
	default:
		break;
	}
}

/* May IPI @ipi be a pseudo-NMI on this kernel (its flow handler)? */
static int ipi_is_nmi(unsigned int ipi)
{
	if (!K.pseudo_nmi || K.family == 601)
		return 0;
	if (K.family == 608)	/* both stop IPIs are NMIs (v6.7-v6.10) */
		return ipi == IPI_CPU_STOP || ipi == IPI_CPU_STOP_NMI;
	return ipi == IPI_CPU_STOP_NMI;
}

/*
 * ipi_desc[]: one irq_desc per IPI (slab objects in the linear map) whose
 * kstat_irqs is a dynamic per-CPU allocation, like crash_notes: CPU n's
 * counter is at the pointer + __per_cpu_offset[n]. The counter is a
 * struct irqstat (cnt first) from v6.10, a bare unsigned int before.
 */
static int ipi_descs(struct gen *g, char *err, size_t len)
{
	uint64_t stride = gen_params(g)->version >= KV(6, 10, 0) ?
			  GEN_IRQSTAT_SIZE : 4;
	uint64_t arr, desc;
	unsigned int i, n;

	arr = gen_alloc_kimage(g, 8 * NR_IPI_DESC, 8, NULL);
	if (!arr || gen_symbol_sized(g, "ipi_desc", arr, 'd', 8 * NR_IPI_DESC))
		return kerr(err, len, "cannot allocate 'ipi_desc'");
	for (i = 0; i < NR_IPI_DESC; i++) {
		desc = gen_alloc_linear(g, GEN_IRQ_DESC_SIZE, 64);
		if (!desc || gen_write_u64(g, arr + 8 * i, desc) ||
		    gen_write_u64(g, desc + GEN_IRQ_DESC_KSTAT_IRQS,
				  K.pcpu_start + K.dyn_kstat + i * stride) ||
		    gen_write_u64(g, desc + GEN_IRQ_DESC_HANDLE_IRQ,
				  text(g, ipi_is_nmi(i) ?
				       "handle_percpu_devid_fasteoi_nmi" :
				       "handle_percpu_devid_irq", 0)))
			return kerr(err, len, "cannot write 'ipi_desc[%u]'", i);
	}
	for (n = 0; n < K.ncpus; n++) {
		const struct kcpu *c = &K.cpu[n];
		uint32_t cnt[NR_IPI_DESC] = {
			/* reschedule, call function, irq work: any traffic */
			100 + 13 * n, 20 + n, 0, 0, 0, 3 + n, 0,
		};

		stop_counts(c, cnt);
		for (i = 0; i < NR_IPI_DESC; i++)
			if (gen_write_u32(g, c->pcpu + K.dyn_kstat + i * stride,
					  cnt[i]))
				return kerr(err, len, "cpu %u: cannot write its IPI counts",
					    n);
	}
	return 0;
}

/*
 * The SDEI event this CPU is handling: sdei_active_normal_event -> a
 * struct sdei_registered_event in per-CPU memory whose interrupted_regs
 * (KERNEL.md §3.1) are the CPU's registers. __sdei_asm_handler stores the
 * registers only: no PMR, no stackframe.
 */
static void sdei_event(struct gen *g, struct kcpu *c, int *ok)
{
	uint64_t ev = c->pcpu + K.dyn_sdei;
	static const uint8_t zero[24];

	write_pt_regs(g, ev, c->regs, 0, 0, ok);
	gen_write(g, ev + pt_stackframe(), zero, sizeof(zero));
	/* the series' callback; another SDEI user (GHES) without it */
	gen_write_u64(g, ev + SDEI_EV_CALLBACK,
		      K.series ? text(g, "sdei_nmi_handler", 0) :
				 text(g, "ghes_sdei_normal_callback", 0));
	gen_write_u64(g, c->pcpu + PCPU_SDEI_ACT_NORMAL, ev);
}

static int build_cpu(struct gen *g, unsigned int n, char *err, size_t len)
{
	struct kcpu *c = &K.cpu[n];
	uint64_t pcpu = c->pcpu, src = 0, pmr;
	int ok = 1;
	uint32_t pid;

	gen_write_u64(g, pcpu + PCPU_IRQ_STACK_PTR, c->istack);
	gen_write_u64(g, pcpu + PCPU_ENTRY_TASK, c->task);
	if (K.sdei) {
		gen_write_u64(g, pcpu + PCPU_SDEI_STACK_NORMAL, c->sstack_n);
		gen_write_u64(g, pcpu + PCPU_SDEI_STACK_CRIT, c->sstack_c);
	}
	if (c->el < 0)
		c->el = 1;
	pid = (uint32_t)default_pid(n, c);

	/*
	 * The task __entry_task names: the one the note's pr_pid is taken
	 * from (crash_save_cpu: current->pid), with the stack it runs on.
	 */
	gen_write_u64(g, c->task + GEN_TASK_STACK, c->tstack);
	gen_write_u32(g, c->task + GEN_TASK_PID,
		      c->pid_differ ? pid + 1000 : pid);
	gen_write_u32(g, c->task + GEN_TASK_TGID,
		      c->pid_differ ? pid + 1000 : pid);

	if (c->off_stack) {
		uint64_t page;

		/* a vmalloc page that is no stack: sp and its frame there */
		if (c->el == 0)
			return kerr(err, len, "cpu %u: 'sp=off-stack' needs an EL1 context",
				    n);
		page = gen_alloc_vmalloc(g, K.page_size);
		if (!page)
			return kerr(err, len, "cpu %u: cannot allocate its off-stack page",
				    n);
		c->sp = page + K.page_size - 0x100;
		c->have_sp = 1;
	}
	if (c->sp_irq_of) {
		unsigned int m = c->sp_irq_of - 1;

		/*
		 * A mis-mapped note: sp (and its frame) on another CPU's IRQ
		 * stack, below that CPU's own handler chain at the top.
		 */
		if (m >= K.ncpus || m == n || c->el == 0)
			return kerr(err, len, "cpu %u: 'sp=irq-stack-of:%u' needs another CPU and an EL1 context",
				    n, m);
		c->sp = K.cpu[m].istack + K.thread_size - 0x800;
		c->have_sp = 1;
	}
	if ((c->frames != FLOW_PATH || c->have_pmr || c->irq_regs_null ||
	     c->sdei_event_note) && c->path != P_IPI && c->path != P_PNMI &&
	    c->path != P_STOPPED_NOCRASH)
		return kerr(err, len, "cpu %u: 'frames=', 'pmr=', 'irq-regs=null' and 'sdei-event=note' need an IPI path (ipi, pnmi, stopped-nocrash)",
			    n);
	if (c->sdei_event_note && !K.sdei)
		return kerr(err, len, "cpu %u: 'sdei-event=note' needs SDEI (no 'no-sdei')",
			    n);
	/* Leftover PMR values on kernels that never write the field. */
	pmr = (n & 1) ? 0xc0 : 0x1000;

	switch (c->path) {
	case P_PANIC:
		panic_context(g, c, n, &ok);
		build_note(c, pid);
		break;
	case P_IPI:
	case P_PNMI:
	case P_STOPPED_NOCRASH: {
		enum flow flow = c->frames != FLOW_PATH ? c->frames :
				 takes_nmi(c) ? FLOW_NMI : FLOW_IRQ;
		int nmi = flow == FLOW_NMI;

		interrupted_context(g, c, n, &ok);
		if (K.pseudo_nmi) {
			pmr = GIC_PRIO_IRQON;
			if (c->path == P_PNMI && (K.family >= 612 ||
						  c->irqs_off != 0))
				pmr = GIC_PRIO_IRQOFF;
			if (c->irqs_off == 1)
				pmr = GIC_PRIO_IRQOFF;
		}
		if (c->have_pmr)
			pmr = c->pmr;
		src = irq_entry(g, c, flow, pmr, c->path != P_STOPPED_NOCRASH,
				&ok);
		if (c->nested) {
			/*
			 * A second stop landed in the first one's handler: the
			 * saved frame is the handler's, on the IRQ stack.
			 */
			uint64_t *r = c->regs;

			r[32] = text(g, "ipi_handler", 0x40);
			r[31] = c->istack + K.thread_size - 0x100;
			r[29] = c->istack + K.thread_size - (nmi ? 0xe0 : 0xb0);
			r[30] = nmi ?
				text(g, "handle_percpu_devid_fasteoi_nmi", 0xa4) :
				text(g, "handle_percpu_devid_irq", 0x94);
			r[33] = PSR_MODE_EL1H;
			src = r[31] - PT_REGS_SIZE;
			write_pt_regs(g, src, r, GIC_PRIO_IRQOFF, 1, &ok);
		}
		if (c->path != P_STOPPED_NOCRASH)
			build_note(c, pid);
		gen_write_u64(g, pcpu + PCPU_IRQ_REGS,
			      c->irq_regs_null ? 0 : src);
		if (c->irq_regs_differ)
			gen_write_u64(g, src + PT_PC, c->regs[32] + 0x40);
		/* an SDEI event whose interrupted_regs are this very frame */
		if (c->sdei_event_note)
			sdei_event(g, c, &ok);
		break;
	}
	case P_SDEI: {
		uint64_t ev = pcpu + K.dyn_sdei;

		/* why the IPIs did not land (EL0 cannot mask them) */
		if (c->irqs_off < 0)
			c->irqs_off = c->el != 0;
		interrupted_context(g, c, n, &ok);
		if (c->nested) {
			uint64_t *r = c->regs;

			r[32] = text(g, "ipi_handler", 0x40);
			r[31] = c->istack + K.thread_size - 0x100;
			r[29] = c->istack + K.thread_size - 0xb0;
			r[30] = text(g, "handle_percpu_devid_irq", 0x94);
			r[33] = PSR_DAIF | PSR_MODE_EL1H;
		}
		sdei_entry(g, c, &ok);
		build_note(c, pid);
		sdei_event(g, c, &ok);
		if (c->irq_regs_differ)
			gen_write_u64(g, ev + PT_PC, c->regs[32] + 0x40);
		break;
	}
	case P_SELF_STOP:
		self_stop_context(g, c, n, &ok);
		if (c->self_note)
			build_note(c, pid);
		break;
	case P_NEVER:
		interrupted_context(g, c, n, &ok);
		break;
	default:
		break;
	}
	if (!ok && !c->have_sp)
		return kerr(err, len, "cpu %u: cannot write its stacks", n);
	if (c->note_none)
		c->has_note = 0;	/* it never got to crash_save_cpu() */
	if (c->has_note) {
		uint64_t buf = pcpu + K.dyn_notes;

		if (gen_write(g, buf, c->note, NOTE_BUF_SIZE))
			return kerr(err, len, "cpu %u: cannot write its crash_notes buffer",
				    n);
	}
	return 0;
}

static int exclude_range(struct gen *g, uint64_t va, uint64_t size)
{
	uint64_t o;

	for (o = 0; o < size; o += K.page_size)
		if (gen_exclude_page(g, va + o))
			return -1;
	return 0;
}

static int file_notes(struct gen *g, char *err, size_t len)
{
	unsigned int i;

	for (i = 0; i < K.ncpus; i++) {
		struct kcpu *c = &K.cpu[i];
		uint8_t desc[PRSTATUS_SIZE];
		uint32_t type;
		char name[5] = "CORE";

		if (!c->has_note)
			continue;
		memcpy(desc, c->note + NOTE_DESC, sizeof(desc));
		memcpy(name, c->note + 12, 4);
		memcpy(&type, c->note + 8, 4);
		/*
		 * The capture kernel sizes each PT_NOTE by walking it; a
		 * descsz that overruns note_buf_t drops the note.
		 */
		if (c->file != FILE_ABSENT && c->buf != BUF_SIZE) {
			if (c->file == FILE_DIFFERS) {
				uint64_t pc;

				memcpy(&pc, desc + PR_REG + PT_PC, 8);
				pc += 0x100;
				memcpy(desc + PR_REG + PT_PC, &pc, 8);
			}
			if (gen_file_note(g, name, type, desc, sizeof(desc)))
				return kerr(err, len, "cannot add a file note");
		}
		if (c->file == FILE_EXTRA) {
			uint32_t pid = 4242;
			uint64_t pc = text(g, "stuck_loop", 0x24);

			memset(desc, 0, sizeof(desc));
			memcpy(desc + PR_PID, &pid, 4);
			memcpy(desc + PR_REG + PT_PC, &pc, 8);
			pc = 0xffff800083ff3e00ULL;
			memcpy(desc + PR_REG + PT_SP, &pc, 8);
			pc = 0x20000005;
			memcpy(desc + PR_REG + PT_PSTATE, &pc, 8);
			if (gen_file_note(g, "CORE", 1, desc, sizeof(desc)))
				return kerr(err, len, "cannot add a file note");
		}
	}
	return 0;
}

int kernel_finish(struct gen *g, char *err, size_t errlen)
{
	struct gen_params *p = gen_params(g);
	uint64_t crash_notes_va, unit;
	unsigned int i, panics = 0;

	ensure_cpus();
	if (!K.cpu)
		return kerr(err, errlen, "out of memory");
	if (!K.ncpus) {
		for (i = 0; i < MAX_CPUS; i++)
			if (K.cpu[i].path != P_UNSET)
				K.ncpus = i + 1;
		if (!K.ncpus)
			K.ncpus = 4;
	}
	if (K.ncpus > K.nr_cpus)
		return kerr(err, errlen, "'cpus %u' exceeds 'nr-cpus-config %u'",
			    K.ncpus, K.nr_cpus);
	for (i = 0; i < MAX_CPUS; i++) {
		struct kcpu *c = &K.cpu[i];

		if (i >= K.ncpus && c->path != P_UNSET)
			return kerr(err, errlen, "'cpu %u': only %u CPUs", i,
				    K.ncpus);
		if (i < K.ncpus && c->path == P_UNSET) {
			c->path = P_IPI;	/* the normal case */
			c->el = c->irqs_off = -1;
		}
		if (i < K.ncpus)
			panics += c->path == P_PANIC;
	}
	if (panics != 1)
		return kerr(err, errlen, "need exactly one 'cpu N panic' (have %u)",
			    panics);

	K.page_size = p && p->page_size ? p->page_size : 4096;
	K.thread_size = K.page_size > THREAD_SIZE_MIN ? K.page_size :
							 THREAD_SIZE_MIN;
	/* Dynamic per-CPU allocations live on pages of their own. */
	K.dyn_notes = K.page_size > 0x4000 ? K.page_size : 0x4000;
	K.dyn_sdei = K.dyn_notes + K.page_size;
	K.dyn_kstat = K.dyn_sdei + K.page_size;
	unit = K.dyn_kstat + K.page_size;
	K.pcpu_unit = unit;

	final_masks();
	if (apply_override(K.present_list, 'p', err, errlen) ||
	    apply_override(K.online_list, 'o', err, errlen) ||
	    apply_override(K.active_list, 'a', err, errlen))
		return -1;

	for (i = 0; i < K.ncpus; i++) {
		struct kcpu *c = &K.cpu[i];

		c->pcpu = gen_alloc_linear(g, unit, K.page_size);
		c->tstack = gen_alloc_vmalloc(g, K.thread_size);
		c->istack = gen_alloc_vmalloc(g, K.thread_size);
		if (K.sdei) {
			c->sstack_n = gen_alloc_vmalloc(g, K.thread_size);
			c->sstack_c = gen_alloc_vmalloc(g, K.thread_size);
		}
		c->task = gen_alloc_linear(g, GEN_TASK_SIZE, 64);
		if (!c->pcpu || !c->tstack || !c->istack || !c->task ||
		    (K.sdei && (!c->sstack_n || !c->sstack_c)))
			return kerr(err, errlen, "cpu %u: cannot allocate its memory",
				    i);
	}
	if (alloc_globals(g, &crash_notes_va, err, errlen) ||
	    ipi_descs(g, err, errlen))
		return -1;
	for (i = 0; i < K.ncpus; i++)
		if (build_cpu(g, i, err, errlen))
			return -1;

	if (K.auto_log)
		stop_log();
	if (printk_finish(g, err, errlen))
		return -1;
	if (file_notes(g, err, errlen))
		return -1;

	/* Damage that removes pages comes last: everything is written. */
	if (K.pnmi_flag_unreadable &&
	    gen_exclude_page(g, gen_symbol_addr(g, "enable_pseudo_nmi")))
		return kerr(err, errlen, "cannot exclude the page of 'enable_pseudo_nmi'");
	for (i = 0; i < K.ncpus; i++) {
		struct kcpu *c = &K.cpu[i];

		if (c->percpu_unreadable &&
		    gen_exclude_page(g, c->pcpu + K.dyn_notes))
			return kerr(err, errlen, "cpu %u: cannot exclude its per-CPU page",
				    i);
		if (c->stack_unreadable &&
		    (exclude_range(g, c->tstack, K.thread_size) ||
		     exclude_range(g, c->istack, K.thread_size)))
			return kerr(err, errlen, "cpu %u: cannot exclude its stacks",
				    i);
	}
	(void)crash_notes_va;
	return 0;
}
