// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdei-vmcore.so: the crash extension. It adds one command, cpustop, that
 * prints what `sdei-vmcore check` prints for the dump crash has open.
 *
 * Nothing here judges a CPU: the plugin builds a struct sdei_target from
 * what crash knows (readmem(), its symbol table, its type information)
 * and from the dump file's note area (read by the library, headers and
 * notes only), runs sdei_analyze() and prints the report to crash's fp.
 *
 * crash's rules for extensions (extensions/echo.c, defs.h): one command
 * table registered from a constructor, every symbol static, output to fp
 * so that pipes and redirection work, help text in crash's layout. The
 * entry is flagged MINIMAL: what the command needs (readmem, symbols,
 * datatype_info) works in --minimal mode too, vmalloc addresses with the
 * help of minimal_vm_enter().
 */
#include "defs.h"	/* crash's, from /usr/include/crash */

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* as in the CLI: CONFIG_NR_CPUS is at most 4096 on arm64, leave room */
#define CPUSTOP_MAX_CPUS	65536

static void cmd_cpustop(void);

/* man/sdei-vmcore-crash.1 says the same: keep them together */
static char *help_cpustop[] = {
	"cpustop",
	"how each CPU of the crashed arm64 machine was stopped",
	"[-c cpus] [-j] [-p] [-v] [-x]",
	"  Says, for every CPU of a crashed arm64 machine, which path stopped it",
	"  (ipi, pseudo-nmi, sdei, self-stop, panic) or that it is offline,",
	"  missing, stale or unknown, with the evidence. It prints the same",
	"  report as \"sdei-vmcore check\" gives for the same dump, computed by the",
	"  same library from crash's memory reads, symbol table and type",
	"  information and from the dump file's ELF notes; see sdei-vmcore(1) and",
	"  sdei-vmcore-crash(1).",
	"",
	"    -c cpus  only these CPUs, e.g. 0-3,7.",
	"         -j  JSON instead of text (one line).",
	"         -p  indented JSON (implies -j).",
	"         -v  also say where each fact came from (symbol, address, type).",
	"         -x  end crash with the verdict as its exit status, for CI: 0",
	"             every CPU accounted for, 1 findings (a CPU missing, stale or",
	"             unknown), 2 the dump could not be analysed, 64 a usage",
	"             error. crash itself always exits 0.",
	"",
	"  Minimal mode: the command works in crash --minimal, which crash 8.0.2",
	"  needs for kernels 6.4 and later. Minimal mode skips vm_init(), so crash",
	"  translates no vmalloc address (IRQ stacks, VMAP_STACK task stacks);",
	"  while cpustop runs, the extension lets crash's own page-table walker",
	"  translate them from swapper_pg_dir, and restores crash's state after.",
	"",
	"  52-bit kernels on 48-bit CPUs (VMCOREINFO VA_BITS=52, TCR_EL1_T1SZ=16,",
	"  e.g. Debian's 6.12): crash 8.0.2 misplaces the linear map, so every CPU",
	"  reads as unknown; a finding names the fix, the start of RAM as",
	"  phys_offset: crash --minimal --machdep phys_offset=0x40000000 ...",
	"",
	"  Limits: the command needs the dump file crash has open: not a live",
	"  system, nor a flattened (makedumpfile -F) file, whose notes it cannot",
	"  read (convert it with makedumpfile -R first).",
	"\nEXAMPLE",
	"  Check every CPU of the dump:\n",
	"    %s> cpustop",
	"\n  Only CPUs 2 and 3, as JSON, through a pipe:\n",
	"    %s> cpustop -c 2-3 -j | cat",
	"\n  In a CI script, make crash's exit status the verdict:\n",
	"    $ printf 'extend sdei-vmcore.so\\ncpustop -x\\n' |",
	"        crash -s --minimal vmlinux vmcore",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "cpustop", cmd_cpustop, help_cpustop, MINIMAL },
	{ NULL, NULL, NULL, 0 },
};

static void __attribute__((constructor)) cpustop_init(void)
{
	register_extension(command_table);
}

/* ---- the target: memory, symbols and types through crash ---------- */

static struct sdei_error *crash_read(void *arg, enum sdei_addr_space space,
				     uint64_t addr, void *buf, size_t len)
{
	const char *path = arg;
	bool phys = space == SDEI_KPHYSADDR;

	if (len > LONG_MAX)
		return sdei_error_fault(addr, "read of %zu bytes at 0x%llx",
					len, (unsigned long long)addr);
	/* RETURN_ON_ERROR: a bad pointer is evidence, never an abort */
	if (readmem(addr, phys ? PHYSADDR : KVADDR, buf, (long)len,
		    "sdei-vmcore", RETURN_ON_ERROR | QUIET))
		return NULL;
	return sdei_error_fault(addr, "'%s': crash cannot read %s 0x%llx",
				path, phys ? "physical address" :
				"kernel virtual address",
				(unsigned long long)addr);
}

static bool crash_lookup(void *arg, const char *name, uint64_t *ret)
{
	(void)arg;
	/* symbol_value() is fatal for a name crash does not know */
	if (!symbol_exists((char *)name))
		return false;
	*ret = symbol_value((char *)name);
	return true;
}

/*
 * crash's syment names live as long as its symbol table: long enough.
 * value_search() names a user address after whatever symbol lies below
 * it (a section symbol at 0 in a stand-in vmlinux): kernel addresses only.
 */
static const char *crash_symbolize(void *arg, uint64_t addr,
				   uint64_t *offset_ret)
{
	struct syment *sp;
	ulong offset = 0;

	(void)arg;
	if (!IS_KVADDR((ulong)addr))
		return NULL;
	sp = value_search((ulong)addr, &offset);
	if (!sp || !sp->name)
		return NULL;
	if (offset_ret)
		*offset_ret = offset;
	return sp->name;
}

static const struct sdei_symtab_ops crash_symtab_ops = {
	.lookup = crash_lookup,
	.symbolize = crash_symbolize,
};

/*
 * The library names types "struct pt_regs"; crash's datatype_info()
 * wants the bare tag, as in MEMBER_OFFSET("pt_regs", "pc").
 */
static bool crash_member(void *arg, const char *type, const char *member,
			 uint64_t *offset_ret, uint64_t *size_ret)
{
	char *tag = (char *)type;
	long off, size;

	(void)arg;
	if (!strncmp(tag, "struct ", 7))
		tag += 7;
	else if (!strncmp(tag, "union ", 6))
		tag += 6;
	if (!member) {
		size = STRUCT_SIZE(tag);
		if (size < 0)
			return false;
		*offset_ret = 0;
		*size_ret = (uint64_t)size;
		return true;
	}
	off = MEMBER_OFFSET(tag, (char *)member);
	if (off < 0)
		return false;
	size = MEMBER_SIZE(tag, (char *)member);
	if (size < 0)
		return false;
	*offset_ret = (uint64_t)off;
	*size_ret = (uint64_t)size;
	return true;
}

/*
 * crash 8.0.2 on arm64 translates a vmalloc address through the page
 * tables only once vm_init() has set vt->vmalloc_start; --minimal skips
 * vm_init(), so arm64_kvtop() applies the linear/kimage formula to every
 * address and vmalloc'ed memory (IRQ stacks, VMAP_STACK task stacks, and
 * so the pt_regs on them) reads as "not in the dump". For the command's
 * duration, let crash's own page-table walker do its job: give it the
 * vmalloc start its machdep knows and swapper_pg_dir, as vm_init() and
 * arm64_init_kernel_pgd() would, and put both back afterwards.
 */
struct minimal_vm {
	bool patched;
	ulong vmalloc_start;
	ulong kernel_pgd;
};

static void minimal_vm_enter(struct minimal_vm *m)
{
	m->patched = false;
	m->vmalloc_start = vt->vmalloc_start;
	m->kernel_pgd = vt->kernel_pgd[0];
	if (!(pc->flags & MINIMAL_MODE) || vt->vmalloc_start ||
	    !machine_type("ARM64") || !machdep->vmalloc_start ||
	    !symbol_exists("swapper_pg_dir"))
		return;
	vt->vmalloc_start = machdep->vmalloc_start();
	if (!vt->vmalloc_start)
		return;
	if (!vt->kernel_pgd[0])
		vt->kernel_pgd[0] = symbol_value("swapper_pg_dir");
	m->patched = true;
}

static void minimal_vm_leave(const struct minimal_vm *m)
{
	vt->vmalloc_start = m->vmalloc_start;
	if (m->patched)
		vt->kernel_pgd[0] = m->kernel_pgd;
}

/*
 * Linux 6.9+ built for 52-bit VAs (Debian's arm64 6.12 is) on a CPU
 * that runs 48-bit ones: VMCOREINFO says VA_BITS=52, TCR_EL1_T1SZ=16.
 * The kernel keeps PAGE_OFFSET at -(1 << 52) and lowers PHYS_OFFSET
 * (memstart_addr) by _PAGE_OFFSET(48) - _PAGE_OFFSET(52) instead. crash
 * 8.0.2 takes VA_BITS from T1SZ (48, right for the page tables), so its
 * PAGE_OFFSET is -(1 << 48), but it keeps the dump's PHYS_OFFSET: every
 * linear-map address (per-CPU data, crash_notes) then translates to a
 * physical address far above RAM, and crash's own rd fails as well. Only
 * crash's command line can fix that: say how, as a finding, since the
 * CPUs otherwise just read as unknown.
 */
static struct sdei_error *add_crash_findings(struct sdei_report *r)
{
#ifdef ARM64
	struct machine_specific *ms = machdep->machspec;
	ulong want;

	/* not when the user set phys_offset, nor for 5.4-5.9 kernels */
	if (!machine_type("ARM64") || !ms ||
	    (machdep->flags & (PHYS_OFFSET | HAS_PHYSVIRT_OFFSET)) ||
	    !(machdep->flags & NEW_VMEMMAP) ||
	    ms->VA_BITS >= ms->CONFIG_ARM64_VA_BITS ||
	    ms->CONFIG_ARM64_VA_BITS > 52 ||
	    ms->page_offset != -(1UL << ms->VA_BITS))
		return NULL;
	/* what crash's (addr & ~PAGE_OFFSET) + phys_offset then needs */
	want = ms->phys_offset + (1UL << ms->CONFIG_ARM64_VA_BITS) -
	       (1UL << ms->VA_BITS);
	return sdei_facts_add(&r->findings, "crash",
			      "crash's linear map is wrong for this dump (VMCOREINFO VA_BITS=%lu, crash uses %lu from TCR_EL1_T1SZ with PHYS_OFFSET 0x%lx): start crash with '--machdep phys_offset=0x%lx'",
			      ms->CONFIG_ARM64_VA_BITS, ms->VA_BITS,
			      ms->phys_offset, want);
#else
	(void)r;
	return NULL;
#endif
}

/* ---- the command ---------------------------------------------------- */

struct cpustop_args {
	struct sdei_options opts;
	struct sdei_policy policy;
	bool json;
	bool pretty;
	bool verbose;
	bool exit_status;
	uint64_t *cpu_list;
};

/* The dump facts `sdei-vmcore check` states first: format, path, … */
static struct sdei_error *add_dump_facts(struct sdei_report *r,
					 const struct sdei_dump *dump,
					 const char *path)
{
	struct sdei_error *err;
	const char *comp;

	err = sdei_facts_add(&r->dump, "format", "%s",
			     sdei_dump_format(dump));
	if (!err)
		err = sdei_facts_add(&r->dump, "path", "%s", path);
	comp = sdei_dump_compression(dump);
	if (!err && comp)
		err = sdei_facts_add(&r->dump, "compression", "%s", comp);
	return err;
}

static struct sdei_error *cpustop_analyze(const struct cpustop_args *a,
					  struct sdei_report **ret)
{
	struct sdei_target t = { .read = crash_read, .header_nr_cpus = -1 };
	struct sdei_dump *dump = NULL;
	struct sdei_report *r = NULL;
	struct sdei_error *err;
	char describe[PATH_MAX + 64];
	char *path = pc->dumpfile;

	if (!path || !*path || ACTIVE())
		return sdei_error_create(SDEI_ERROR_INVALID,
					 "crash is not reading a dump file: cpustop needs the dump's notes");
	t.arg = path;
	err = sdei_dump_open_notes(path, &dump);
	if (err)
		return err;
	t.vmcoreinfo = sdei_dump_vmcoreinfo(dump);
	t.notes = sdei_dump_prstatus(dump, &t.nr_notes);
	t.all_notes = sdei_dump_notes(dump, &t.nr_all_notes);
	t.header_nr_cpus = sdei_dump_header_nr_cpus(dump);

	snprintf(describe, sizeof(describe), "crash's symbol table ('%s')",
		 pc->namelist ? pc->namelist : "vmlinux");
	err = sdei_symtab_from_ops(&crash_symtab_ops, NULL, describe,
				   symbol_exists("__per_cpu_offset"),
				   &t.symtab);
	if (err)
		goto out;
	/* crash refuses a vmlinux without DWARF: its types are always there */
	if (STRUCT_EXISTS("pt_regs")) {
		t.member = crash_member;
		t.types_desc = "crash's type information";
	}

	r = sdei_report_create();
	if (!r) {
		err = &sdei_error_nomem;
		goto out;
	}
	err = add_dump_facts(r, dump, path);
	if (!err) {
		struct minimal_vm m;

		minimal_vm_enter(&m);
		err = sdei_analyze(&t, &a->opts, r);
		minimal_vm_leave(&m);
	}
	if (!err)
		err = add_crash_findings(r);
	if (err) {
		sdei_report_destroy(r);
		goto out;
	}
	*ret = r;
out:
	sdei_symtab_destroy(t.symtab);
	sdei_dump_close(dump);
	return err;
}

/* -x: crash's own exit status is always 0, clean_exit() sets ours */
static void cpustop_finish(const struct cpustop_args *a, int status)
{
	fflush(fp);
	if (a->exit_status)
		clean_exit(status);
}

/*
 * A usage error ends the command at crash's prompt (cmd_usage() and
 * error(FATAL) jump back to it); with -x anywhere on the line it ends
 * crash with the CLI's usage status instead, so that a CI script with a
 * typo does not pass.
 */
static void cpustop_usage(const struct cpustop_args *a, const char *list)
{
	free(a->cpu_list);
	if (a->exit_status) {
		if (list)
			error(INFO, "invalid CPU list '%s' (expected e.g. 0-3,7)\n",
			      list);
		else
			error(INFO, "usage: cpustop %s\n", help_cpustop[2]);
		cpustop_finish(a, SDEI_EXIT_USAGE);
	}
	if (list)
		error(FATAL, "invalid CPU list '%s' (expected e.g. 0-3,7)\n",
		      list);
	cmd_usage(pc->curcmd, SYNOPSIS);
}

static void cmd_cpustop(void)
{
	struct cpustop_args a = { .policy.allow_offline = true };
	struct sdei_report *report = NULL;
	struct sdei_error *err;
	const char *list = NULL;
	int c, status;

	while ((c = getopt(argcnt, args, "c:jpvx")) != EOF) {
		switch (c) {
		case 'c':
			list = optarg;
			break;
		case 'p':
			a.pretty = true;
			a.json = true;
			break;
		case 'j':
			a.json = true;
			break;
		case 'v':
			a.verbose = true;
			break;
		case 'x':
			a.exit_status = true;
			break;
		default:
			argerrs++;
			break;
		}
	}
	if (argerrs || args[optind])
		cpustop_usage(&a, NULL);
	if (list) {
		a.cpu_list = calloc(CPUSTOP_MAX_CPUS / 64, sizeof(*a.cpu_list));
		if (!a.cpu_list)
			error(FATAL, "out of memory\n");
		if (!sdei_parse_cpulist(list, a.cpu_list, CPUSTOP_MAX_CPUS))
			cpustop_usage(&a, list);
		a.opts.cpu_list = a.cpu_list;
		a.opts.cpu_list_bits = CPUSTOP_MAX_CPUS;
	}
	a.opts.verbose = a.verbose;

	err = cpustop_analyze(&a, &report);
	free(a.cpu_list);
	if (err) {
		const char *m = err->message ? err->message : "out of memory";

		if (a.json)
			sdei_print_json_error(fp, m, a.pretty);
		else
			error(INFO, "%s\n", m);
		sdei_error_destroy(err);
		cpustop_finish(&a, SDEI_EXIT_ERROR);
		return;
	}
	if (a.json)
		sdei_report_print_json(fp, report, a.pretty, a.verbose,
				       &a.policy);
	else
		sdei_report_print_text(fp, report, a.verbose, &a.policy);
	status = sdei_report_exit_status(report, &a.policy);
	sdei_report_destroy(report);
	cpustop_finish(&a, status);
}
