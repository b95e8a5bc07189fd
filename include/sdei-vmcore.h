/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sdei-vmcore - did every CPU of a crashed arm64 machine stop the way it
 * should, and can the registers saved for it be trusted?
 *
 * Public API of libsdei-vmcore. Ownership rules (doc/objects.md):
 *  - "borrowed": valid until the owning handle is destroyed;
 *  - "owned": the caller frees it with the named _destroy()/free().
 * Every fallible call returns a struct sdei_error * (NULL on success) and
 * writes its results through trailing out-parameters named ret.
 */
#ifndef SDEI_VMCORE_H
#define SDEI_VMCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/**
 * enum sdei_error_code - coarse class of a failure
 * @SDEI_ERROR_NOMEM: out of memory (the static sdei_error_nomem)
 * @SDEI_ERROR_OS: a system call failed; @errnum holds errno
 * @SDEI_ERROR_FORMAT: the input is not a dump (or symbol file) we read
 * @SDEI_ERROR_CORRUPT: the input is malformed or truncated
 * @SDEI_ERROR_FAULT: memory at @address is not in the dump
 * @SDEI_ERROR_LOOKUP: a symbol is not known
 * @SDEI_ERROR_INVALID: a bad argument from the caller
 * @SDEI_ERROR_MISMATCH: a symbol file does not belong to the dump
 * @SDEI_ERROR_OTHER: anything else (message says what)
 */
enum sdei_error_code {
	SDEI_ERROR_NOMEM = 1,
	SDEI_ERROR_OS,
	SDEI_ERROR_FORMAT,
	SDEI_ERROR_CORRUPT,
	SDEI_ERROR_FAULT,
	SDEI_ERROR_LOOKUP,
	SDEI_ERROR_INVALID,
	SDEI_ERROR_MISMATCH,
	SDEI_ERROR_OTHER,
};

/**
 * struct sdei_error - an error, built where the failure happened
 * @code: class of the failure
 * @errnum: errno for %SDEI_ERROR_OS, else 0
 * @address: faulting address for %SDEI_ERROR_FAULT, else 0
 * @message: one line, lower-case, no final period (git's grammar)
 */
struct sdei_error {
	enum sdei_error_code code;
	int errnum;
	uint64_t address;
	char *message;
};

/* The one out-of-memory error; never freed, needs no allocation. */
extern struct sdei_error sdei_error_nomem;

/**
 * sdei_error_create() - build an error from a printf format
 * @code: class of the failure
 * @fmt: message format
 *
 * Return: a new error (owned; sdei_error_destroy()), or &sdei_error_nomem.
 */
struct sdei_error *sdei_error_create(enum sdei_error_code code,
				     const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * sdei_error_errno() - build an %SDEI_ERROR_OS error, appending strerror
 * @errnum: the errno value
 * @fmt: message format (": <strerror>" is appended)
 *
 * Return: a new error (owned), or &sdei_error_nomem.
 */
struct sdei_error *sdei_error_errno(int errnum, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * sdei_error_fault() - build an %SDEI_ERROR_FAULT error for an address
 * @address: the address that could not be read
 * @fmt: message format
 *
 * Return: a new error (owned), or &sdei_error_nomem.
 */
struct sdei_error *sdei_error_fault(uint64_t address, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * sdei_error_prefix() - put context in front of an error's message
 * @err: the error (consumed: its message is replaced in place)
 * @fmt: context format; the result reads "<context>: <old message>"
 *
 * Return: @err (or &sdei_error_nomem if the new message cannot be built).
 */
struct sdei_error *sdei_error_prefix(struct sdei_error *err,
				     const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * sdei_error_destroy() - free an error
 * @err: the error; NULL and &sdei_error_nomem are accepted
 */
void sdei_error_destroy(struct sdei_error *err);

/* ------------------------------------------------------------------ */
/* arm64 ELF_PRSTATUS (KERNEL.md §2.1)                                 */
/* ------------------------------------------------------------------ */

#define SDEI_NT_PRSTATUS	1
#define SDEI_PRSTATUS_SIZE	392	/* sizeof(struct elf_prstatus) */
#define SDEI_PRSTATUS_MIN	384	/* enough for pr_reg (drgn's rule) */
#define SDEI_PR_PID_OFFSET	32
#define SDEI_PR_REG_OFFSET	112
#define SDEI_NR_REGS		34	/* x0..x30, sp, pc, pstate */
#define SDEI_REG_FP		29
#define SDEI_REG_LR		30
#define SDEI_REG_SP		31
#define SDEI_REG_PC		32
#define SDEI_REG_PSTATE		33
#define SDEI_NOTE_BUF_SIZE	424	/* sizeof(note_buf_t) */

/**
 * struct sdei_note - one ELF note of the dump's note area
 * @index: ordinal in the note area (all notes)
 * @offset: file offset of the note header
 * @namesz: n_namesz as stored
 * @descsz: n_descsz as stored
 * @type: n_type
 * @name: the name, NUL-terminated, truncated to fit
 * @desc: the descriptor bytes (borrowed from the dump handle)
 */
struct sdei_note {
	unsigned int index;
	uint64_t offset;
	uint32_t namesz;
	uint32_t descsz;
	uint32_t type;
	char name[16];
	const uint8_t *desc;
};

/**
 * struct sdei_prstatus - an arm64 PRSTATUS, decoded
 * @index: ordinal among the PRSTATUS notes of the dump (the JSON "note"),
 *	   or -1 for a note read from memory
 * @note: the raw note it came from, or NULL
 * @complete: the descriptor was large enough to hold pr_reg
 * @pid: pr_pid
 * @regs: x0..x30, sp, pc, pstate
 */
struct sdei_prstatus {
	int index;
	const struct sdei_note *note;
	bool complete;
	int32_t pid;
	uint64_t regs[SDEI_NR_REGS];
};

/**
 * sdei_prstatus_decode() - decode an arm64 elf_prstatus descriptor
 * @desc: descriptor bytes (need not be aligned)
 * @len: their number
 * @ret: filled in; @ret->complete says whether pr_reg was all there
 */
void sdei_prstatus_decode(const uint8_t *desc, size_t len,
			  struct sdei_prstatus *ret);

/* ------------------------------------------------------------------ */
/* Dumps                                                               */
/* ------------------------------------------------------------------ */

/**
 * enum sdei_addr_space - address spaces of a memory read
 * @SDEI_KVADDR: kernel virtual address (page tables of the dump)
 * @SDEI_KPHYSADDR: physical address
 */
enum sdei_addr_space {
	SDEI_KVADDR,
	SDEI_KPHYSADDR,
};

struct sdei_dump;

/**
 * sdei_dump_open() - open an ELF or kdump-compressed arm64 vmcore
 * @path: the file (also /proc/vmcore)
 * @ret: the new handle (owned; sdei_dump_close())
 *
 * Reads the headers and the note area; memory is read later, on demand.
 * A flattened dump is refused with the command that converts it.
 *
 * Return: NULL or an error naming @path and the problem.
 */
struct sdei_error *sdei_dump_open(const char *path, struct sdei_dump **ret);

/**
 * sdei_dump_open_notes() - open a vmcore's headers and notes only
 * @path: the file
 * @ret: the new handle (owned; sdei_dump_close())
 *
 * As sdei_dump_open() without memory: sdei_dump_read() fails. For hosts
 * that read memory themselves (the crash extension).
 *
 * Return: NULL or an error naming @path and the problem.
 */
struct sdei_error *sdei_dump_open_notes(const char *path,
					struct sdei_dump **ret);

/**
 * sdei_dump_close() - release a dump handle
 * @dump: the handle, or NULL
 */
void sdei_dump_close(struct sdei_dump *dump);

/**
 * sdei_dump_format() - the dump's container format
 * @dump: the handle
 *
 * Return: "elf" or "kdump-compressed" (static string).
 */
const char *sdei_dump_format(const struct sdei_dump *dump);

/**
 * sdei_dump_compression() - page compression of a kdump-compressed dump
 * @dump: the handle
 *
 * Return: "zlib", "lzo", "snappy", "zstd", "none" or NULL for ELF.
 */
const char *sdei_dump_compression(const struct sdei_dump *dump);

/**
 * sdei_dump_notes() - every note of the note area, in file order
 * @dump: the handle
 * @nr_ret: their number
 *
 * Return: the array (borrowed).
 */
const struct sdei_note *sdei_dump_notes(const struct sdei_dump *dump,
					size_t *nr_ret);

/**
 * sdei_dump_prstatus() - the "CORE"/NT_PRSTATUS notes, decoded, in order
 * @dump: the handle
 * @nr_ret: their number
 *
 * Return: the array (borrowed).
 */
const struct sdei_prstatus *sdei_dump_prstatus(const struct sdei_dump *dump,
					       size_t *nr_ret);

/**
 * sdei_dump_vmcoreinfo() - the raw VMCOREINFO text
 * @dump: the handle
 *
 * Return: NUL-terminated text (borrowed), or NULL if the dump has none.
 */
const char *sdei_dump_vmcoreinfo(const struct sdei_dump *dump);

/**
 * sdei_dump_header_nr_cpus() - nr_cpus of a kdump-compressed header
 * @dump: the handle
 *
 * makedumpfile derives it from the notes, so it is not the CPU count.
 *
 * Return: the value, or -1 for ELF dumps.
 */
int sdei_dump_header_nr_cpus(const struct sdei_dump *dump);

/**
 * sdei_dump_read() - read dump memory
 * @dump: the handle
 * @space: address space of @addr
 * @addr: first byte
 * @buf: destination
 * @len: bytes wanted; all or nothing
 *
 * A page the dump does not hold is an error, never zeros.
 *
 * Return: NULL, or an %SDEI_ERROR_FAULT error carrying the address.
 */
struct sdei_error *sdei_dump_read(struct sdei_dump *dump,
				  enum sdei_addr_space space, uint64_t addr,
				  void *buf, size_t len);

/* ------------------------------------------------------------------ */
/* VMCOREINFO                                                          */
/* ------------------------------------------------------------------ */

/**
 * sdei_vmcoreinfo_get() - the value of one VMCOREINFO line
 * @vmcoreinfo: raw text (may be NULL)
 * @key: the part before '=', e.g. "OSRELEASE" or "NUMBER(VA_BITS)"
 * @len_ret: length of the value (it is not NUL-terminated)
 *
 * Return: pointer into @vmcoreinfo, or NULL if the key is absent.
 */
const char *sdei_vmcoreinfo_get(const char *vmcoreinfo, const char *key,
				size_t *len_ret);

/**
 * sdei_vmcoreinfo_number() - a VMCOREINFO value as a number
 * @vmcoreinfo: raw text
 * @key: the key
 * @base: 0 to honour a 0x prefix, 16 for SYMBOL() and KERNELOFFSET
 * @ret: the value
 *
 * Return: true if present and well-formed.
 */
bool sdei_vmcoreinfo_number(const char *vmcoreinfo, const char *key,
			    int base, uint64_t *ret);

/* ------------------------------------------------------------------ */
/* Symbols                                                             */
/* ------------------------------------------------------------------ */

/**
 * enum sdei_symsrc - where a symbol table came from
 */
enum sdei_symsrc {
	SDEI_SYMSRC_NONE,
	SDEI_SYMSRC_VMLINUX,
	SDEI_SYMSRC_SYSTEM_MAP,
	SDEI_SYMSRC_KALLSYMS,
	SDEI_SYMSRC_HOST,	/* the host's table, e.g. crash's */
};

struct sdei_symtab;

/**
 * typedef sdei_read_fn - read memory for a module that needs it
 * @arg: caller's context
 * @space: address space
 * @addr: first byte
 * @buf: destination
 * @len: bytes, all or nothing
 *
 * Return: NULL or an error (owned by the callee's caller).
 */
typedef struct sdei_error *sdei_read_fn(void *arg, enum sdei_addr_space space,
					uint64_t addr, void *buf, size_t len);

/**
 * sdei_symtab_from_system_map() - load a System.map
 * @path: the file
 * @vmcoreinfo: the dump's VMCOREINFO (KASLR offset, consistency checks)
 * @ret: the table (owned; sdei_symtab_destroy())
 *
 * Addresses are moved by KERNELOFFSET. A map whose SYMBOL() values do not
 * match VMCOREINFO is refused (%SDEI_ERROR_MISMATCH); Debian's one-line
 * stub is refused with a message saying where the real map is.
 *
 * Return: NULL or an error.
 */
struct sdei_error *sdei_symtab_from_system_map(const char *path,
					       const char *vmcoreinfo,
					       struct sdei_symtab **ret);

/**
 * sdei_symtab_from_vmlinux() - load the ELF symbol table of a vmlinux
 * @path: the file
 * @vmcoreinfo: the dump's VMCOREINFO (KASLR, BUILD-ID check)
 * @ret: the table (owned)
 *
 * Return: NULL or an error (%SDEI_ERROR_MISMATCH on a BUILD-ID mismatch).
 */
struct sdei_error *sdei_symtab_from_vmlinux(const char *path,
					    const char *vmcoreinfo,
					    struct sdei_symtab **ret);

/**
 * sdei_symtab_from_kallsyms() - decode the kallsyms tables in dump memory
 * @read: memory reader
 * @arg: its context
 * @vmcoreinfo: the dump's VMCOREINFO (SYMBOL(kallsyms_*), Linux >= 6.0)
 * @ret: the table (owned)
 *
 * Names are decoded on demand: @read and @arg are used for as long as the
 * table lives, so the dump must stay open until sdei_symtab_destroy().
 *
 * Return: NULL or an error (%SDEI_ERROR_LOOKUP when VMCOREINFO has no
 *	   kallsyms tables).
 */
struct sdei_error *sdei_symtab_from_kallsyms(sdei_read_fn *read, void *arg,
					     const char *vmcoreinfo,
					     struct sdei_symtab **ret);

/**
 * sdei_symtab_discover() - find symbols for a dump without being told
 * @read: memory reader (for kallsyms)
 * @arg: its context
 * @vmcoreinfo: the dump's VMCOREINFO
 * @root: prefix for the searched paths ("" or NULL for /)
 * @ret: the table (owned), or NULL when nothing was found
 * @why_ret: when *@ret is NULL, a malloc'ed sentence saying what was
 *	     tried (owned; free()); else NULL
 *
 * Tries /usr/lib/debug/boot/vmlinux-<rel>,
 * /usr/lib/debug/lib/modules/<rel>/vmlinux, /boot/System.map-<rel> (a
 * Debian stub is noted and skipped), then kallsyms in dump memory. A
 * kallsyms table keeps using @read and @arg for as long as it lives
 * (sdei_symtab_from_kallsyms()).
 *
 * Return: NULL, or an error only for out-of-memory.
 */
struct sdei_error *sdei_symtab_discover(sdei_read_fn *read, void *arg,
					const char *vmcoreinfo,
					const char *root,
					struct sdei_symtab **ret,
					char **why_ret);

/**
 * sdei_symtab_destroy() - free a table
 * @tab: the table, or NULL
 */
void sdei_symtab_destroy(struct sdei_symtab *tab);

/**
 * sdei_symtab_source() - which kind of source a table came from
 * @tab: the table
 *
 * Return: the kind.
 */
enum sdei_symsrc sdei_symtab_source(const struct sdei_symtab *tab);

/**
 * sdei_symtab_describe() - the source as a person would name it
 * @tab: the table
 *
 * Return: e.g. "System.map '/x/System.map-6.1'" or "kallsyms (dump)"
 *	   (borrowed).
 */
const char *sdei_symtab_describe(const struct sdei_symtab *tab);

/**
 * sdei_symtab_has_data() - whether data symbols are present
 * @tab: the table
 *
 * kallsyms without CONFIG_KALLSYMS_ALL holds text symbols only.
 *
 * Return: true if data (and per-CPU) symbols can be looked up.
 */
bool sdei_symtab_has_data(const struct sdei_symtab *tab);

/**
 * sdei_symtab_lookup() - address of a symbol (KASLR applied)
 * @tab: the table
 * @name: the symbol
 * @ret: its address
 *
 * Return: true if found.
 */
bool sdei_symtab_lookup(const struct sdei_symtab *tab, const char *name,
			uint64_t *ret);

/**
 * sdei_symtab_symbolize() - the symbol that contains an address
 * @tab: the table
 * @addr: the address
 * @offset_ret: @addr minus the symbol's address
 *
 * Only names a symbol when the next symbol lies close enough (64 KiB) for
 * the match to be believable: System.map and kallsyms carry no sizes.
 *
 * Return: the name (borrowed), or NULL.
 */
const char *sdei_symtab_symbolize(const struct sdei_symtab *tab,
				  uint64_t addr, uint64_t *offset_ret);

/* ------------------------------------------------------------------ */
/* Analysis and report                                                 */
/* ------------------------------------------------------------------ */

/**
 * enum sdei_verdict - one word per CPU (DESIGN.md §4)
 */
enum sdei_verdict {
	SDEI_VERDICT_PANIC,
	SDEI_VERDICT_STOPPED,
	SDEI_VERDICT_OFFLINE,
	SDEI_VERDICT_MISSING,
	SDEI_VERDICT_STALE,
	SDEI_VERDICT_UNKNOWN,
	SDEI_NR_VERDICTS,
};

/**
 * enum sdei_path - the path that saved a frame
 */
enum sdei_path {
	SDEI_PATH_NONE,
	SDEI_PATH_IPI,
	SDEI_PATH_PSEUDO_NMI,
	SDEI_PATH_SDEI,
	SDEI_PATH_SELF_STOP,
	SDEI_PATH_PANIC,
};

/**
 * sdei_verdict_name() - the word for a verdict
 * @v: the verdict
 *
 * Return: "panic", "stopped", … (static).
 */
const char *sdei_verdict_name(enum sdei_verdict v);

/**
 * sdei_path_name() - the word for a path
 * @p: the path
 *
 * Return: "ipi", "pseudo-nmi", "sdei", "self-stop", "panic", or NULL for
 *	   %SDEI_PATH_NONE.
 */
const char *sdei_path_name(enum sdei_path p);

/**
 * struct sdei_fact - one keyed fact a person can check in crash
 * @key: short stable key, e.g. "crash_notes", "irq_regs"
 * @value: the fact in words and numbers
 */
struct sdei_fact {
	char *key;
	char *value;
};

/**
 * struct sdei_facts - a growable list of facts
 * @v: the facts
 * @nr: their number
 * @alloc: allocated slots
 */
struct sdei_facts {
	struct sdei_fact *v;
	size_t nr;
	size_t alloc;
};

/**
 * struct sdei_cpu_report - what the report says of one CPU (or a note
 * that maps to no CPU)
 * @cpu: CPU number, or -1 (JSON null) for an unmapped note
 * @verdict: the verdict
 * @path: the path, %SDEI_PATH_NONE when none is claimed
 * @note: PRSTATUS index in the dump, or -1 (JSON null)
 * @has_regs: @pid and @regs hold the frame that was judged
 * @pid: pr_pid of that frame
 * @regs: its registers
 * @pc_sym: pc symbolized ("sym+0x18"), or NULL
 * @evidence: keyed facts behind the verdict, most decisive first
 */
struct sdei_cpu_report {
	int cpu;
	enum sdei_verdict verdict;
	enum sdei_path path;
	int note;
	bool has_regs;
	int32_t pid;
	uint64_t regs[SDEI_NR_REGS];
	char *pc_sym;
	struct sdei_facts evidence;
};

/**
 * struct sdei_report - the whole answer for one dump
 * @dump: facts about the dump (format, path, release, crashtime,
 *	  page_size, symbols, …) in print order
 * @findings: dump-wide findings that belong to no CPU
 * @sources: with verbose: where each fact came from (symbol, address)
 * @cpus: one entry per CPU or unmapped note, CPU order, unmapped last
 * @nr_cpus: their number
 * @counts: number of @cpus entries per verdict
 * @cpus_known: whether the CPU set came from dump memory (not notes)
 * @nr_absent: CPUs the caller asked for (&sdei_options.cpu_list) that the
 *	       dump does not have or cannot name: each is a finding, and
 *	       the report is not a pass
 */
struct sdei_report {
	struct sdei_facts dump;
	struct sdei_facts findings;
	struct sdei_facts sources;
	struct sdei_cpu_report *cpus;
	size_t nr_cpus;
	size_t alloc_cpus;
	size_t counts[SDEI_NR_VERDICTS];
	bool cpus_known;
	size_t nr_absent;
};

/**
 * struct sdei_options - how to analyse
 * @vmlinux: --vmlinux, or NULL
 * @system_map: --system-map, or NULL
 * @no_symbols: use no symbols at all (notes-only analysis)
 * @discover_root: prefix for automatic discovery ("" = /), NULL = off
 * @verbose: record where each fact came from in report->sources
 * @cpu_list: only report these CPUs (bitmap of @cpu_list_bits), or NULL
 * @cpu_list_bits: size of @cpu_list in bits
 */
struct sdei_options {
	const char *vmlinux;
	const char *system_map;
	bool no_symbols;
	const char *discover_root;
	bool verbose;
	const uint64_t *cpu_list;
	size_t cpu_list_bits;
};

/**
 * sdei_check() - analyse a dump: the library's main entry
 * @dump: an open dump
 * @opts: options (NULL for defaults)
 * @ret: the report (owned; sdei_report_destroy())
 *
 * Return: NULL, or an error when the dump cannot be analysed at all
 *	   (a symbol file that does not belong to it, …). Missing evidence is
 *	   not an error: it makes verdicts unknown, with reasons.
 */
struct sdei_error *sdei_check(struct sdei_dump *dump,
			      const struct sdei_options *opts,
			      struct sdei_report **ret);

/**
 * sdei_report_destroy() - free a report
 * @report: the report, or NULL
 */
void sdei_report_destroy(struct sdei_report *report);

/**
 * enum sdei_exit - exit statuses of the CLI (and crash's -x option)
 */
enum sdei_exit {
	SDEI_EXIT_OK = 0,
	SDEI_EXIT_FINDINGS = 1,
	SDEI_EXIT_ERROR = 2,
	SDEI_EXIT_USAGE = 64,
};

/**
 * struct sdei_expect - what a CI job demands of some CPUs
 * @cpus: bitmap of the CPUs it is about
 * @nr_bits: size of @cpus in bits
 * @verdict: the verdict each of them must have
 * @path: the path it must have, or %SDEI_PATH_NONE for any
 */
struct sdei_expect {
	const uint64_t *cpus;
	size_t nr_bits;
	enum sdei_verdict verdict;
	enum sdei_path path;
};

/**
 * struct sdei_policy - what a CI job accepts
 * @allow_missing: this many missing CPUs are still a pass
 * @allow_unknown: unknown verdicts are not findings
 * @allow_offline: offline CPUs are a pass (default true)
 * @expect: per-CPU demands; a CPU they name passes only if it meets them,
 *	    whatever the rules above say (the last one naming a CPU wins)
 * @nr_expect: their number
 */
struct sdei_policy {
	unsigned int allow_missing;
	bool allow_unknown;
	bool allow_offline;
	const struct sdei_expect *expect;
	size_t nr_expect;
};

/**
 * sdei_expect_parse_word() - a verdict or path word, as --expect takes it
 * @word: "panic", "stopped", "offline", "missing", "stale", "unknown",
 *	  or a path of a stopped CPU: "ipi", "pseudo-nmi", "sdei", "self-stop"
 * @ret: verdict and path filled in (cpus untouched)
 *
 * Return: false if the word is none of those.
 */
bool sdei_expect_parse_word(const char *word, struct sdei_expect *ret);

/**
 * sdei_report_exit_status() - the exit status a report deserves
 * @report: the report
 * @policy: the policy, or NULL for the default
 *
 * A CPU that the policy's expectations or the analysed CPU list name but
 * the report lacks is never a pass: a gate that names CPU 7 of a 4-CPU
 * machine is asking about nothing.
 *
 * Return: %SDEI_EXIT_OK when every CPU is accounted for, else
 *	   %SDEI_EXIT_FINDINGS.
 */
int sdei_report_exit_status(const struct sdei_report *report,
			    const struct sdei_policy *policy);

/**
 * sdei_report_expect_absent() - the CPUs expectations name but the report lacks
 * @report: the report
 * @policy: the policy, or NULL
 * @buf: filled with a CPU list ("7,9-11"), "" when there are none
 * @len: size of @buf (a longer list ends in "...")
 *
 * Return: how many such CPUs there are.
 */
size_t sdei_report_expect_absent(const struct sdei_report *report,
				 const struct sdei_policy *policy, char *buf,
				 size_t len);

/**
 * sdei_report_print_text() - the report for people
 * @f: stream
 * @report: the report
 * @verbose: also print report->sources
 * @policy: decides the exit status the summary states (NULL: default)
 */
void sdei_report_print_text(FILE *f, const struct sdei_report *report,
			    bool verbose, const struct sdei_policy *policy);

/**
 * sdei_report_print_json() - the report for programs (DESIGN.md §4)
 * @f: stream
 * @report: the report
 * @pretty: indent
 * @verbose: also print report->sources
 * @policy: decides the exit status the summary states (NULL: default)
 */
void sdei_report_print_json(FILE *f, const struct sdei_report *report,
			    bool pretty, bool verbose,
			    const struct sdei_policy *policy);

/**
 * sdei_report_print_junit() - one JUnit testcase per CPU
 * @f: stream
 * @report: the report
 * @policy: decides which verdicts fail (NULL for default)
 */
void sdei_report_print_junit(FILE *f, const struct sdei_report *report,
			     const struct sdei_policy *policy);

/**
 * sdei_print_json_error() - {"error": "..."} for JSON mode
 * @f: stream
 * @message: the one-line error
 * @pretty: indent
 */
void sdei_print_json_error(FILE *f, const char *message, bool pretty);

#endif /* SDEI_VMCORE_H */
