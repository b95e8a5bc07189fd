// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of dwarf.c: struct layouts from DWARF. A small C file is
 * compiled at test time (DWARF 4 and 5, relocatable and linked) and its
 * layouts are checked against this compiler's offsetof(); hand-written
 * hostile DWARF (typedef loops, self-containing anonymous members,
 * absurd array sizes, a backward sibling link) must give false, not a
 * hang; files without DWARF and non-ELF files are told apart; and the
 * real 6.12 arm64 vmlinux of ../shared/realcores gives the pt_regs
 * layout of KERNEL.md §5. TAP output; exit 0 or 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static char tmpdir[] = "/tmp/test-dwarf-XXXXXX";
static char repo[4096] = ".";

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool good;

	if (!f)
		return false;
	good = fputs(text, f) >= 0;
	return !fclose(f) && good;
}

/* member lookup that must succeed with exactly these values */
static void check_member(struct sdei_dwarf *dw, const char *what,
			 const char *type, const char *member,
			 uint64_t want_off, uint64_t want_size)
{
	uint64_t off = UINT64_MAX, size = UINT64_MAX;
	bool found = sdei_dwarf_member(dw, type, member, &off, &size);

	if (!ok(found && off == want_off && size == want_size,
		"%s: %s.%s at %" PRIu64 " size %" PRIu64, what, type,
		member ? member : "(sizeof)", want_off, want_size))
		printf("#   got found=%d offset %" PRIu64 " size %" PRIu64 "\n",
		       found, off, size);
}

static void check_absent(struct sdei_dwarf *dw, const char *what,
			 const char *type, const char *member)
{
	uint64_t off = 7, size = 7;
	bool found = sdei_dwarf_member(dw, type, member, &off, &size);

	ok(!found && off == 7 && size == 7, "%s: %s.%s is absent", what, type,
	   member ? member : "(sizeof)");
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

static void test_open(void)
{
	struct sdei_dwarf *dw = (void *)1;
	struct sdei_error *err;
	char path[4200];

	err = sdei_dwarf_open("/bin/true", &dw);
	ok(!err && !dw, "no DWARF in /bin/true: NULL handle, no error");
	sdei_error_destroy(err);
	sdei_dwarf_close(dw);

	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	dw = (void *)1;
	err = sdei_dwarf_open(path, &dw);
	ok(err && err->code == SDEI_ERROR_OS && err->errnum == ENOENT && !dw,
	   "missing file: OS error (%s)", err ? err->message : "none");
	sdei_error_destroy(err);

	snprintf(path, sizeof(path), "%s/text", tmpdir);
	write_file(path, "not an ELF file at all\n");
	dw = (void *)1;
	err = sdei_dwarf_open(path, &dw);
	ok(err && err->code == SDEI_ERROR_FORMAT && !dw &&
	   strstr(err->message, "not an ELF file"),
	   "text file: format error (%s)", err ? err->message : "none");
	sdei_error_destroy(err);

	snprintf(path, sizeof(path), "%s/empty", tmpdir);
	write_file(path, "");
	err = sdei_dwarf_open(path, &dw);
	ok(err && err->code == SDEI_ERROR_FORMAT && !dw,
	   "empty file: format error");
	sdei_error_destroy(err);

	sdei_dwarf_close(NULL);
	ok(!sdei_dwarf_member(NULL, "struct x", "y", NULL, NULL),
	   "member with no handle: false");
}

/* ------------------------------------------------------------------ */
/* A synthetic object, checked against this compiler's offsetof()      */
/* ------------------------------------------------------------------ */

#define SYNTH_BODY							\
struct synth_inner { int alpha; char beta; };				\
struct synth_outer {							\
	char c;								\
	union {								\
		int i;							\
		struct { short s1; short s2; };				\
		long l;							\
	};								\
	struct synth_inner in;						\
	int arr[3][4];							\
	const volatile struct synth_inner *p;				\
	union { struct { char deep1; struct { int deep2; }; }; };	\
	unsigned int bf : 3;						\
	char flex[];							\
};									\
typedef struct { int x; long y; } synth_anon_t;				\
typedef const synth_anon_t synth_anon2_t;				\
union synth_u { char c[10]; int i; };					\
struct synth_decl;							\
struct synth_uses { struct synth_decl *p; synth_anon2_t q[2]; };	\
struct synth_outer synth_o;						\
synth_anon2_t synth_t;							\
union synth_u synth_uu;							\
struct synth_uses synth_us;

SYNTH_BODY

#define STR(...) STR2(__VA_ARGS__)
#define STR2(...) #__VA_ARGS__

static void check_synth(const char *what, const char *obj)
{
	struct sdei_dwarf *dw = NULL;
	struct sdei_error *err;
	uint64_t a, b;

	err = sdei_dwarf_open(obj, &dw);
	if (!ok(!err && dw, "%s: opens", what)) {
		printf("#   %s\n", err ? err->message : "no DWARF");
		sdei_error_destroy(err);
		return;
	}
	check_member(dw, what, "struct synth_outer", NULL,
		     0, sizeof(struct synth_outer));
	check_member(dw, what, "struct synth_outer", "c", 0, 1);
	check_member(dw, what, "struct synth_outer", "i",
		     offsetof(struct synth_outer, i), sizeof(int));
	check_member(dw, what, "struct synth_outer", "s2",
		     offsetof(struct synth_outer, s2), sizeof(short));
	check_member(dw, what, "struct synth_outer", "l",
		     offsetof(struct synth_outer, l), sizeof(long));
	check_member(dw, what, "struct synth_outer", "in",
		     offsetof(struct synth_outer, in),
		     sizeof(struct synth_inner));
	check_member(dw, what, "struct synth_outer", "in.beta",
		     offsetof(struct synth_outer, in.beta), 1);
	check_member(dw, what, "struct synth_outer", "arr",
		     offsetof(struct synth_outer, arr), 12 * sizeof(int));
	check_member(dw, what, "struct synth_outer", "p",
		     offsetof(struct synth_outer, p), sizeof(void *));
	check_member(dw, what, "struct synth_outer", "deep2",
		     offsetof(struct synth_outer, deep2), sizeof(int));
	check_member(dw, what, "struct synth_outer", "flex",
		     offsetof(struct synth_outer, flex), 0);
	check_absent(dw, what, "struct synth_outer", "bf");
	check_absent(dw, what, "struct synth_outer", "nope");
	check_absent(dw, what, "struct synth_outer", "in.");
	check_absent(dw, what, "struct synth_outer", ".c");
	check_absent(dw, what, "struct synth_outer", "c.x");
	check_absent(dw, what, "struct synth_outer", "");
	check_member(dw, what, "synth_anon_t", "y",
		     offsetof(synth_anon_t, y), sizeof(long));
	check_member(dw, what, "synth_anon2_t", NULL, 0, sizeof(synth_anon_t));
	check_absent(dw, what, "struct synth_anon_t", "x");
	check_member(dw, what, "union synth_u", "c", 0, 10);
	check_member(dw, what, "union synth_u", NULL, 0,
		     sizeof(union synth_u));
	check_absent(dw, what, "struct synth_u", "c");
	check_absent(dw, what, "struct synth_decl", NULL);
	check_absent(dw, what, "struct synth_missing", NULL);
	check_absent(dw, what, "enum synth_u", NULL);
	check_member(dw, what, "struct synth_uses", "q",
		     offsetof(struct synth_uses, q), 2 * sizeof(synth_anon_t));
	/* the second answer comes from the memo */
	ok(sdei_dwarf_member(dw, "struct synth_outer", "s2", &a, &b) &&
	   a == offsetof(struct synth_outer, s2) && b == sizeof(short) &&
	   !sdei_dwarf_member(dw, "struct synth_outer", "nope", &a, &b),
	   "%s: repeated queries agree", what);
	sdei_dwarf_close(dw);
}

static void test_synth(void)
{
	static const struct {
		const char *what, *flags, *out;
	} builds[] = {
		{ "synthetic .o (default DWARF)", "-g -c", "synth.o" },
		{ "synthetic .o (DWARF 4)", "-gdwarf-4 -c", "synth4.o" },
		{ "synthetic .o (DWARF 5)", "-gdwarf-5 -c", "synth5.o" },
		{ "synthetic .so (DWARF 5)",
		  "-gdwarf-5 -shared -fPIC -nostdlib", "synth5.so" },
	};
	char src[4200], out[4200], cmd[9000];
	size_t i;

	snprintf(src, sizeof(src), "%s/synth.c", tmpdir);
	if (!write_file(src, STR(SYNTH_BODY) "\n")) {
		skip("cannot write the synthetic source");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(builds); i++) {
		snprintf(out, sizeof(out), "%s/%s", tmpdir, builds[i].out);
		snprintf(cmd, sizeof(cmd), "cc %s -o '%s' '%s'",
			 builds[i].flags, out, src);
		if (system(cmd)) {
			skip("cannot compile the synthetic object");
			continue;
		}
		check_synth(builds[i].what, out);
	}
}

/* ------------------------------------------------------------------ */
/* Hostile DWARF (hand-written, DWARF 4, no relocations needed)        */
/* ------------------------------------------------------------------ */

static const char hostile_s[] =
	"\t.section .debug_abbrev,\"\",@progbits\n"
	/* 1: compile_unit, children: name */
	"\t.uleb128 1, 0x11\n\t.byte 1\n\t.uleb128 0x03, 0x08\n\t.byte 0, 0\n"
	/* 2: structure_type, children: name, byte_size */
	"\t.uleb128 2, 0x13\n\t.byte 1\n\t.uleb128 0x03, 0x08, 0x0b, 0x0b\n"
	"\t.byte 0, 0\n"
	/* 3: member: name, type, data_member_location */
	"\t.uleb128 3, 0x0d\n\t.byte 0\n"
	"\t.uleb128 0x03, 0x08, 0x49, 0x13, 0x38, 0x0b\n\t.byte 0, 0\n"
	/* 4: typedef: name, type */
	"\t.uleb128 4, 0x16\n\t.byte 0\n\t.uleb128 0x03, 0x08, 0x49, 0x13\n"
	"\t.byte 0, 0\n"
	/* 5: array_type, children: type */
	"\t.uleb128 5, 0x01\n\t.byte 1\n\t.uleb128 0x49, 0x13\n\t.byte 0, 0\n"
	/* 6: subrange_type: count (data8) */
	"\t.uleb128 6, 0x21\n\t.byte 0\n\t.uleb128 0x37, 0x07\n\t.byte 0, 0\n"
	/* 7: base_type: name, byte_size, encoding */
	"\t.uleb128 7, 0x24\n\t.byte 0\n"
	"\t.uleb128 0x03, 0x08, 0x0b, 0x0b, 0x3e, 0x0b\n\t.byte 0, 0\n"
	/* 8: anonymous member: type, data_member_location */
	"\t.uleb128 8, 0x0d\n\t.byte 0\n\t.uleb128 0x49, 0x13, 0x38, 0x0b\n"
	"\t.byte 0, 0\n"
	/* 9: structure_type, children: name, byte_size, sibling */
	"\t.uleb128 9, 0x13\n\t.byte 1\n"
	"\t.uleb128 0x03, 0x08, 0x0b, 0x0b, 0x01, 0x13\n\t.byte 0, 0\n"
	"\t.byte 0\n"
	"\t.section .debug_info,\"\",@progbits\n"
	".Lcu:\n"
	"\t.long .Lend - .Lver\n"
	".Lver:\n"
	"\t.short 4\n\t.long 0\n\t.byte 8\n"
	"\t.uleb128 1\n\t.asciz \"hostile.c\"\n"
	/* struct loop { T1 m; int arr[huge]; int far @200; } (16 bytes) */
	".Lloop:\n"
	"\t.uleb128 2\n\t.asciz \"loop\"\n\t.byte 16\n"
	"\t.uleb128 3\n\t.asciz \"m\"\n\t.long .Lt1 - .Lcu\n\t.byte 0\n"
	"\t.uleb128 3\n\t.asciz \"arr\"\n\t.long .Larr - .Lcu\n\t.byte 8\n"
	"\t.uleb128 3\n\t.asciz \"far\"\n\t.long .Lint - .Lcu\n\t.byte 200\n"
	"\t.uleb128 3\n\t.asciz \"fine\"\n\t.long .Lint - .Lcu\n\t.byte 4\n"
	"\t.byte 0\n"
	/* typedef T1 T2; typedef T2 T1; */
	".Lt1:\n\t.uleb128 4\n\t.asciz \"T1\"\n\t.long .Lt2 - .Lcu\n"
	".Lt2:\n\t.uleb128 4\n\t.asciz \"T2\"\n\t.long .Lt1 - .Lcu\n"
	/* int [0x4000000000000000] */
	".Larr:\n\t.uleb128 5\n\t.long .Lint - .Lcu\n"
	"\t.uleb128 6\n\t.quad 0x4000000000000000\n\t.byte 0\n"
	".Lint:\n\t.uleb128 7\n\t.asciz \"int\"\n\t.byte 4, 5\n"
	/* struct selfref { struct selfref; } (an anonymous member of itself) */
	".Lself:\n\t.uleb128 2\n\t.asciz \"selfref\"\n\t.byte 8\n"
	"\t.uleb128 8\n\t.long .Lself - .Lcu\n\t.byte 0\n\t.byte 0\n"
	/* typedef TL TL; */
	".Ltl:\n\t.uleb128 4\n\t.asciz \"TL\"\n\t.long .Ltl - .Lcu\n"
	/* struct sib, whose sibling link points back at struct loop */
	"\t.uleb128 9\n\t.asciz \"sib\"\n\t.byte 4\n\t.long .Lloop - .Lcu\n"
	"\t.byte 0\n"
	"\t.byte 0\n"
	".Lend:\n";

static void test_hostile(void)
{
	static const char *const what = "hostile DWARF";
	struct sdei_dwarf *dw = NULL;
	struct sdei_error *err;
	char src[4200], out[4200], cmd[9000];
	double t0;

	snprintf(src, sizeof(src), "%s/hostile.s", tmpdir);
	snprintf(out, sizeof(out), "%s/hostile.o", tmpdir);
	snprintf(cmd, sizeof(cmd), "cc -c -o '%s' '%s'", out, src);
	if (!write_file(src, hostile_s) || system(cmd)) {
		skip("cannot assemble the hostile object");
		return;
	}
	err = sdei_dwarf_open(out, &dw);
	if (!ok(!err && dw, "%s: opens", what)) {
		printf("#   %s\n", err ? err->message : "no DWARF");
		sdei_error_destroy(err);
		return;
	}
	t0 = now_ms();
	check_member(dw, what, "struct loop", NULL, 0, 16);
	check_member(dw, what, "struct loop", "fine", 4, 4);
	check_absent(dw, what, "struct loop", "m");
	check_absent(dw, what, "struct loop", "arr");
	check_absent(dw, what, "struct loop", "far");
	check_absent(dw, what, "struct selfref", "x");
	check_absent(dw, what, "TL", NULL);
	check_absent(dw, what, "T1", NULL);
	check_absent(dw, what, "struct sib2", NULL);
	ok(now_ms() - t0 < 2000, "%s: answered in %.1f ms", what,
	   now_ms() - t0);
	sdei_dwarf_close(dw);
}

/* ------------------------------------------------------------------ */
/* The real vmlinux                                                    */
/* ------------------------------------------------------------------ */

/* The 6.12 vmlinux, decompressed once into tests/cache (ignored). */
static const char *real_vmlinux(void)
{
	static char path[4400];
	char rc[4300], src[4400], *cmd;
	struct stat st;
	int status;

	snprintf(rc, sizeof(rc), "%s/../shared/realcores", repo);
	if (stat(rc, &st))
		return NULL;
	snprintf(path, sizeof(path), "%s/tests/cache/vmlinux-6.12.117-rcpnmi",
		 repo);
	if (!stat(path, &st))
		return path;
	snprintf(src, sizeof(src), "%s/vmlinux-6.12.117-rcpnmi.xz", rc);
	if (stat(src, &st))
		return NULL;
	/* a private temporary name: other tests may decompress it too */
	if (asprintf(&cmd,
		     "mkdir -p '%s/tests/cache' && xz -dc '%s' > '%s.tmp.%d'"
		     " && mv '%s.tmp.%d' '%s'",
		     repo, src, path, (int)getpid(), path, (int)getpid(),
		     path) < 0)
		return NULL;
	status = system(cmd);
	free(cmd);
	return status ? NULL : path;
}

static void test_real(void)
{
	static const char *const what = "vmlinux 6.12";
	const char *path = real_vmlinux();
	struct sdei_dwarf *dw = NULL;
	struct sdei_error *err;
	uint64_t off, size, pid_off = 0, stack_off = 0;
	double t0, t1, t2;
	bool found;

	if (!path) {
		skip("no realcores");
		return;
	}
	t0 = now_ms();
	err = sdei_dwarf_open(path, &dw);
	t1 = now_ms();
	if (!ok(!err && dw, "%s: opens", what)) {
		printf("#   %s\n", err ? err->message : "no DWARF");
		sdei_error_destroy(err);
		return;
	}
	found = sdei_dwarf_member(dw, "struct pt_regs", NULL, &off, &size);
	t2 = now_ms();
	printf("# open %.1f ms, first pt_regs query %.1f ms\n", t1 - t0,
	       t2 - t1);
	ok(found && size == 336, "%s: sizeof(struct pt_regs) == 336", what);
	check_member(dw, what, "struct pt_regs", "regs", 0, 31 * 8);
	check_member(dw, what, "struct pt_regs", "sp", 248, 8);
	check_member(dw, what, "struct pt_regs", "pc", 256, 8);
	check_member(dw, what, "struct pt_regs", "pstate", 264, 8);
	check_member(dw, what, "struct pt_regs", "orig_x0", 272, 8);
	check_member(dw, what, "struct pt_regs", "syscallno", 280, 4);
	check_member(dw, what, "struct pt_regs", "sdei_ttbr1", 288, 8);
	check_member(dw, what, "struct pt_regs", "pmr_save", 296, 8);
	check_member(dw, what, "struct pt_regs", "stackframe", 304, 16);
	/* u64 stackframe[2] in 6.12: an array has no members */
	check_absent(dw, what, "struct pt_regs", "stackframe.lr");
	check_absent(dw, what, "struct pt_regs", "pmr");

	t0 = now_ms();
	found = sdei_dwarf_member(dw, "struct task_struct", "pid", &pid_off,
				  &size);
	t1 = now_ms();
	printf("# task_struct.pid query %.1f ms\n", t1 - t0);
	ok(found && size == 4 && pid_off > 0,
	   "%s: task_struct.pid at %" PRIu64 " size %" PRIu64, what, pid_off,
	   size);
	found = sdei_dwarf_member(dw, "struct task_struct", "stack",
				  &stack_off, &size);
	ok(found && size == 8 && stack_off > 0,
	   "%s: task_struct.stack at %" PRIu64 " size %" PRIu64, what,
	   stack_off, size);
	found = sdei_dwarf_member(dw, "struct irq_desc", "kstat_irqs", &off,
				  &size);
	ok(found && size == 8,
	   "%s: irq_desc.kstat_irqs (a pointer) at %" PRIu64, what, off);
	check_member(dw, what, "struct irqstat", "cnt", 0, 4);

	/* CONFIG_ARM_SDE_INTERFACE is off in this kernel */
	t0 = now_ms();
	check_absent(dw, what, "struct sdei_registered_event", NULL);
	t1 = now_ms();
	printf("# absent type (full scan) %.1f ms\n", t1 - t0);
	check_absent(dw, what, "struct sdei_registered_event",
		     "interrupted_regs");
	t0 = now_ms();
	found = sdei_dwarf_member(dw, "struct task_struct", "pid", &off, &size);
	printf("# memoised task_struct.pid %.3f ms\n", now_ms() - t0);
	ok(found && off == pid_off, "%s: memo agrees", what);
	sdei_dwarf_close(dw);
}

int main(void)
{
	char *cwd;
	char cmd[4200];

	/* Run from the repo root (make) or from build/unit */
	cwd = getcwd(repo, sizeof(repo));
	if (!cwd || access("src/lib/dwarf.c", F_OK))
		snprintf(repo, sizeof(repo), "%s", "../..");
	if (!mkdtemp(tmpdir)) {
		printf("not ok 1 - mkdtemp: %s\n1..1\n", strerror(errno));
		return 1;
	}
	test_open();
	test_synth();
	test_hostile();
	test_real();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		printf("# could not remove %s\n", tmpdir);
	printf("1..%d\n", nr_tests);
	return nr_failed ? 1 : 0;
}
