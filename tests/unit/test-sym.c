// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbol sources: System.map (parse, KASLR, mismatch, Debian stub,
 * garbage), vmlinux (a tiny ELF written here with libelf), kallsyms (a
 * synthetic table in fake memory, hostile variants, and the real dumps),
 * discovery, and symbolize's 64 KiB rule. TAP output.
 *
 * Real dumps come from ../shared/realcores (relative to the repository);
 * decompressed copies go to tests/cache/. Without them those tests skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sdei-vmcore.h"
#include "tap.h"

static char repo[4096];
static char tmpdir[4096];

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Checks an error's code and message; consumes it. */
static void ok_err(struct sdei_error *err, enum sdei_error_code code,
		   const char *msg, const char *what)
{
	bool good = err && err->code == code &&
		    (!msg || !strcmp(err->message, msg));

	ok(good, "%s", what);
	if (!good)
		printf("# got %s (code %d)\n#   want %s (code %d)\n",
		       err ? err->message : "success", err ? (int)err->code : 0,
		       msg ? msg : "(any)", (int)code);
	sdei_error_destroy(err);
}

static void ok_noerr(struct sdei_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ok_noerr(struct sdei_error *err, const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ok(!err, "%s", what);
	if (err)
		printf("# error: %s\n", err->message);
	sdei_error_destroy(err);
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(text, 1, len, f) != len || fclose(f)) {
		printf("Bail out! cannot write '%s'\n", path);
		exit(99);
	}
}

static char *tmppath(const char *name)
{
	static char buf[8][4200];
	static int n;
	char *p = buf[n++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", tmpdir, name);
	return p;
}

/* ------------------------------------------------------------------ */
/* System.map                                                          */
/* ------------------------------------------------------------------ */

static const char small_map[] =
	"0000000000000000 A _kernel_flags_le_hi32\n"
	"ffff800080000000 T _text\n"
	"ffff800080010000 T _stext\n"
	"ffff800080010000 t $x\n"
	"ffff800080010000 t __exception_text_start\n"
	"ffff800080010040 T do_thing\n"
	"ffff800080010100 t local_fn\n"
	"ffff800080010200 W weak_fn\n"
	"ffff800080010300 r text_table\n"
	"ffff800080010400 T far_fn\n"
	"ffff800080100000 T after_gap\n"
	"ffff800080100100 D _etext\n"
	"ffff800080200000 D __per_cpu_start\n"
	"ffff800080200040 D irq_stack_ptr\n"
	"ffff800080200100 d dup_name\n"
	"ffff800080200200 D crash_notes\n"
	"ffff800080200300 D dup_name\n"
	"ffff800080200400 b __key.7\n"
	"ffff800080200408 B __per_cpu_offset\n"
	"ffff800080200800 B _end\n"
	"                 U undefined_thing\n";

static void test_map(void)
{
	const char *vmci_ok =
		"OSRELEASE=6.12.0-test\nSYMBOL(_stext)=ffff800080010000\n"
		"SYMBOL(mem_section)=ffff00003fddd380\n"
		"SYMBOL(vmemmap)=fffffdffbf000000\nKERNELOFFSET=0\n";
	const char *vmci_kaslr =
		"OSRELEASE=6.12.0-test\nSYMBOL(_stext)=ffff800081210000\n"
		"KERNELOFFSET=1200000\n";
	const char *vmci_bad =
		"OSRELEASE=6.12.0-test\nSYMBOL(_stext)=ffff800081210000\n"
		"KERNELOFFSET=0\n";
	struct sdei_symtab *tab = NULL;
	struct sdei_error *err;
	const char *path = tmppath("System.map-small"), *s;
	uint64_t a = 0, off = 0;
	char msg[8192];

	/* "U" lines have no address: nm prints spaces. They are a format
	 * error for our parser unless they are last; keep them out. */
	write_file(path, small_map, sizeof(small_map) - 1 -
		   strlen("                 U undefined_thing\n"));
	err = sdei_symtab_from_system_map(path, vmci_ok, &tab);
	ok_noerr(err, "System.map: small map loads");
	if (!tab)
		return;
	ok(sdei_symtab_source(tab) == SDEI_SYMSRC_SYSTEM_MAP,
	   "System.map: source");
	snprintf(msg, sizeof(msg), "System.map '%s'", path);
	ok(!strcmp(sdei_symtab_describe(tab), msg), "System.map: describe '%s'",
	   sdei_symtab_describe(tab));
	ok(sdei_symtab_has_data(tab), "System.map: has data");
	ok(sdei_symtab_lookup(tab, "crash_notes", &a) &&
	   a == 0xffff800080200200, "System.map: lookup crash_notes");
	ok(sdei_symtab_lookup(tab, "dup_name", &a) && a == 0xffff800080200300,
	   "System.map: duplicate name prefers the global one");
	ok(!sdei_symtab_lookup(tab, "_kernel_flags_le_hi32", &a),
	   "System.map: absolute symbols are ignored");
	ok(!sdei_symtab_lookup(tab, "$x", &a), "System.map: $x is ignored");
	ok(!sdei_symtab_lookup(tab, "__key.7", &a),
	   "System.map: __key.* is ignored");
	ok(!sdei_symtab_lookup(tab, "nope", &a), "System.map: unknown name");

	s = sdei_symtab_symbolize(tab, 0xffff800080010048, &off);
	ok(s && !strcmp(s, "do_thing") && off == 8,
	   "symbolize: do_thing+0x8 (got %s+0x%llx)", s ? s : "NULL",
	   (unsigned long long)off);
	s = sdei_symtab_symbolize(tab, 0xffff800080010004, &off);
	ok(s && !strcmp(s, "_stext") && off == 4,
	   "symbolize: global preferred at one address (got %s)",
	   s ? s : "NULL");
	s = sdei_symtab_symbolize(tab, 0xffff800080010310, &off);
	ok(s && !strcmp(s, "weak_fn") && off == 0x110,
	   "symbolize: text address skips the data symbol in text (got %s)",
	   s ? s : "NULL");
	s = sdei_symtab_symbolize(tab, 0xffff800080010404, &off);
	ok(!s, "symbolize: next symbol beyond 64 KiB: no name (got %s)",
	   s ? s : "NULL");
	s = sdei_symtab_symbolize(tab, 0xffff800080100010, &off);
	ok(s && !strcmp(s, "after_gap"),
	   "symbolize: last text symbol bounded by _etext (got %s)",
	   s ? s : "NULL");
	s = sdei_symtab_symbolize(tab, 0xffff800080200048, &off);
	ok(s && !strcmp(s, "irq_stack_ptr") && off == 8,
	   "symbolize: data address (got %s)", s ? s : "NULL");
	s = sdei_symtab_symbolize(tab, 0xffff800080200900, &off);
	ok(!s, "symbolize: past the last symbol: no name");
	s = sdei_symtab_symbolize(tab, 0x1000, &off);
	ok(!s, "symbolize: below the first symbol: no name");
	sdei_symtab_destroy(tab);

	tab = NULL;
	err = sdei_symtab_from_system_map(path, vmci_kaslr, &tab);
	ok_noerr(err, "System.map: KASLR offset applied, _stext matches");
	ok(tab && sdei_symtab_lookup(tab, "crash_notes", &a) &&
	   a == 0xffff800080200200 + 0x1200000, "System.map: KASLR moves data");
	s = tab ? sdei_symtab_symbolize(tab, 0xffff800081210048, &off) : NULL;
	ok(s && !strcmp(s, "do_thing") && off == 8,
	   "System.map: KASLR text range follows");
	sdei_symtab_destroy(tab);

	tab = NULL;
	snprintf(msg, sizeof(msg),
		 "'%s' does not match the dump: SYMBOL(_stext) is 0xffff800081210000 in the dump but 0xffff800080010000 in the file",
		 path);
	ok_err(sdei_symtab_from_system_map(path, vmci_bad, &tab),
	       SDEI_ERROR_MISMATCH, msg, "System.map: mismatch message");
	ok(!tab, "System.map: no table on mismatch");

	/* Debian's stub, as debian/rules.real writes it, and the old text */
	path = tmppath("System.map-6.1.0-50-cloud-arm64");
	write_file(path,
		   "ffffffffffffffff B The real System.map is in the linux-image-6.1.0-50-cloud-arm64-dbg package\n",
		   95);
	snprintf(msg, sizeof(msg),
		 "'%s' is Debian's placeholder, not a System.map: install the linux-image-6.1.0-50-cloud-arm64-dbg package and use its /usr/lib/debug/boot/vmlinux-6.1.0-50-cloud-arm64",
		 path);
	ok_err(sdei_symtab_from_system_map(path, NULL, &tab),
	       SDEI_ERROR_FORMAT, msg, "System.map: Debian stub refused");
	path = tmppath("System.map-stub-old");
	write_file(path,
		   "ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n",
		   84);
	snprintf(msg, sizeof(msg),
		 "'%s' is Debian's placeholder, not a System.map: install the linux-image-6.12.0-test-dbg package and use its /usr/lib/debug/boot/vmlinux-6.12.0-test",
		 path);
	ok_err(sdei_symtab_from_system_map(path, vmci_ok, &tab),
	       SDEI_ERROR_FORMAT, msg,
	       "System.map: '<version>' stub names the dump's release");

	path = tmppath("empty");
	write_file(path, "", 0);
	snprintf(msg, sizeof(msg), "'%s' is empty, not a System.map", path);
	ok_err(sdei_symtab_from_system_map(path, NULL, &tab),
	       SDEI_ERROR_FORMAT, msg, "System.map: empty file");

	path = tmppath("garbage");
	write_file(path, "\x7f" "ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0\267\0", 20);
	snprintf(msg, sizeof(msg),
		 "'%s' is not a System.map: line 1 is not 'ADDRESS TYPE NAME'",
		 path);
	ok_err(sdei_symtab_from_system_map(path, NULL, &tab),
	       SDEI_ERROR_FORMAT, msg, "System.map: binary garbage");

	path = tmppath("truncated");
	write_file(path, small_map, 60);
	snprintf(msg, sizeof(msg),
		 "'%s' is truncated: line 2 is incomplete", path);
	ok_err(sdei_symtab_from_system_map(path, NULL, &tab),
	       SDEI_ERROR_FORMAT, msg, "System.map: truncated in a line");

	path = tmppath("absonly");
	write_file(path, "0000000000000000 A only_absolute\n", 33);
	snprintf(msg, sizeof(msg), "'%s': no symbols", path);
	ok_err(sdei_symtab_from_system_map(path, NULL, &tab),
	       SDEI_ERROR_FORMAT, msg, "System.map: no usable symbols");

	path = tmppath("does-not-exist");
	err = sdei_symtab_from_system_map(path, NULL, &tab);
	ok(err && err->code == SDEI_ERROR_OS && err->errnum == ENOENT,
	   "System.map: missing file is an OS error (%s)",
	   err ? err->message : "success");
	sdei_error_destroy(err);
	ok_err(sdei_symtab_from_system_map(tmpdir, NULL, &tab),
	       SDEI_ERROR_FORMAT, NULL, "System.map: a directory");
}

/* ------------------------------------------------------------------ */
/* System.map: the streamed index against the full table               */
/* ------------------------------------------------------------------ */

/*
 * A sorted map is served from an index of the file (sym-map.c) until a
 * lookup asks for a name outside the hot set: then the whole map is read
 * as other sources are. One table asked before and after must answer
 * alike, and its lookups must be what a plain reading of the file says.
 */

struct refsym {
	uint64_t addr;
	char type;
	char *name;
};

/* What sdei_sym_wanted() keeps, restated. */
static bool ref_wanted(const struct refsym *r)
{
	return !strchr("aAUuwNn?-", r->type) && r->name[0] != '$' &&
	       strncmp(r->name, ".L", 2) && strncmp(r->name, "__key.", 6);
}

static size_t ref_read(const char *path, struct refsym **ret)
{
	FILE *f = fopen(path, "r");
	struct refsym *v = NULL, r;
	size_t n = 0, alloc = 0;
	unsigned long long a;
	char line[1024], name[1024];

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %1023s", &a, &r.type, name) != 3)
			continue;
		r.addr = a;
		r.name = name;
		if (!ref_wanted(&r))
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			v = realloc(v, alloc * sizeof(*v));
		}
		r.name = strdup(name);
		v[n++] = r;
	}
	if (f)
		fclose(f);
	*ret = v;
	return n;
}

/* sdei_symtab_lookup() by the rules: first global, else first. */
static bool ref_lookup(const struct refsym *v, size_t n, const char *name,
		       uint64_t *ret)
{
	const struct refsym *first = NULL;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].name, name))
			continue;
		if (v[i].type >= 'A' && v[i].type <= 'Z') {
			*ret = v[i].addr;
			return true;
		}
		if (!first)
			first = &v[i];
	}
	if (first)
		*ret = first->addr;
	return first;
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static const char *const hot_sample[] = {
	"_stext", "_etext", "__per_cpu_offset", "crash_notes", "panic",
	"irq_stack_ptr", "ipi_handler", "__irq_regs", "nr_cpu_ids",
	"init_uts_ns",
};

/*
 * Symbolizes @addr again (now from the full table) and counts the answers
 * that differ from @s1/@off1, the index's; the names the index gave must
 * still be alive. @named_ret, if not NULL, gets how many were named.
 */
static size_t symbolize_again(const struct sdei_symtab *tab,
			      const uint64_t *addr, size_t np,
			      const char *const *s1, const uint64_t *off1,
			      size_t *named_ret)
{
	size_t bad = 0, named = 0;

	for (size_t i = 0; i < np; i++) {
		uint64_t o2 = 0;
		const char *s2 = sdei_symtab_symbolize(tab, addr[i], &o2);

		named += s2 != NULL;
		if (!s1[i] != !s2 || (s2 && (strcmp(s1[i], s2) ||
					     off1[i] != o2))) {
			if (!bad++)
				printf("# symbolize 0x%llx: index %s+0x%llx, table %s+0x%llx\n",
				       (unsigned long long)addr[i],
				       s1[i] ? s1[i] : "NULL",
				       (unsigned long long)off1[i],
				       s2 ? s2 : "NULL",
				       (unsigned long long)o2);
		}
	}
	if (named_ret)
		*named_ret = named;
	return bad;
}

/*
 * Symbolize at @addr[] from the index, then from the full table that a
 * lookup of a name outside the hot set builds: the answers must agree,
 * and the names the index gave must still be alive.
 */
static void lazy_vs_full(struct sdei_symtab *tab, const uint64_t *addr,
			 size_t np, const char *what)
{
	const char **s1 = malloc((np + 1) * sizeof(*s1));
	uint64_t *off1 = calloc(np + 1, sizeof(*off1)), a;
	size_t bad = 0, named = 0;

	for (size_t i = 0; i < np; i++)
		s1[i] = sdei_symtab_symbolize(tab, addr[i], &off1[i]);
	sdei_symtab_lookup(tab, "zz_in_no_map", &a);
	bad = symbolize_again(tab, addr, np, s1, off1, &named);
	ok(!bad, "%s: symbolize agrees at %zu addresses, %zu named (%zu differ)",
	   what, np, named, bad);
	free(s1);
	free(off1);
}

/* Addresses at, around and between the symbols of a map file. */
static uint64_t *probe_addrs(const struct refsym *ref, size_t nref,
			     uint64_t kaslr, size_t *np_ret)
{
	size_t step = nref > 20000 ? 7 : 1, np = 0;
	uint64_t *addr = malloc((nref * 5 + 64) * sizeof(*addr));

	for (size_t i = 0; i < nref; i += step) {
		uint64_t x = ref[i].addr + kaslr;

		addr[np++] = x;
		addr[np++] = x - 1;
		addr[np++] = x + 1;
		addr[np++] = x + (rnd() & 0xfff);
		addr[np++] = x + (rnd() & 0x1ffff);
	}
	for (int i = 0; i < 64; i++)
		addr[np++] = rnd();
	*np_ret = np;
	return addr;
}

/*
 * Compares one table's answers before and after it reads the map whole:
 * symbolize at every symbol and around it, lookups against the file.
 */
static void map_compare(const char *path, const char *vmci,
			uint64_t kaslr, const char *what)
{
	struct sdei_symtab *tab = NULL;
	struct refsym *ref;
	size_t nref = ref_read(path, &ref), np = 0, bad = 0, badl = 0;
	uint64_t *addr, *off1, a = 0, b = 0;
	const char **s1;
	struct sdei_error *err;

	addr = probe_addrs(ref, nref, kaslr, &np);
	off1 = malloc((np + 1) * sizeof(*off1));
	s1 = malloc((np + 1) * sizeof(*s1));
	err = sdei_symtab_from_system_map(path, vmci, &tab);
	ok_noerr(err, "%s: loads", what);
	if (!tab)
		goto out;
	for (size_t i = 0; i < np; i++)
		s1[i] = sdei_symtab_symbolize(tab, addr[i], &off1[i]);
	for (size_t i = 0; i < sizeof(hot_sample) / sizeof(*hot_sample);
	     i++) {
		bool l1 = sdei_symtab_lookup(tab, hot_sample[i], &a);
		bool l2 = ref_lookup(ref, nref, hot_sample[i], &b);

		if (l1 != l2 || (l1 && a != b + kaslr)) {
			if (!badl++)
				printf("# lookup %s: %d 0x%llx, file %d 0x%llx\n",
				       hot_sample[i], l1,
				       (unsigned long long)a, l2,
				       (unsigned long long)(b + kaslr));
		}
	}
	/* a name no analysis asks for: the whole map is read now */
	for (size_t i = 0; i < nref; i += nref / 50 + 1) {
		bool l1 = sdei_symtab_lookup(tab, ref[i].name, &a);

		ref_lookup(ref, nref, ref[i].name, &b);
		if (!l1 || a != b + kaslr) {
			if (!badl++)
				printf("# lookup %s: %d 0x%llx, file 0x%llx\n",
				       ref[i].name, l1,
				       (unsigned long long)a,
				       (unsigned long long)(b + kaslr));
		}
	}
	ok(!sdei_symtab_lookup(tab, "zz_in_no_map", &a) && !badl,
	   "%s: lookups agree with the file", what);
	bad = symbolize_again(tab, addr, np, s1, off1, NULL);
	ok(!bad, "%s: symbolize agrees at %zu addresses (%zu differ)", what,
	   np, bad);
	sdei_symtab_destroy(tab);
out:
	free(addr);
	free(off1);
	free(s1);
	for (size_t i = 0; i < nref; i++)
		free(ref[i].name);
	free(ref);
}

/* A map with what real ones have: runs at one address, gaps, clones. */
static void write_random_map(const char *path, unsigned int seed, int nsym,
			     bool with_text)
{
	static const char types[] = "TTTtttttWDdddBbRrrV";
	char long_tail[256];
	FILE *f = fopen(path, "w");
	uint64_t addr = 0xffff800080000000ull;
	int stext = nsym / 10, etext = nsym * 6 / 10;

	rnd_state = 0x9e3779b97f4a7c15ull * (seed + 1);
	memset(long_tail, 'z', sizeof(long_tail));
	fprintf(f, "0000000000000000 A _kernel_flags_le_hi32\n");
	for (int i = 0; i < nsym; i++) {
		uint64_t r = rnd();
		char type = types[r % (sizeof(types) - 1)];

		if (i < etext && i > stext && r % 7)
			type = "tTW"[r % 3];
		switch (r >> 8 & 15) {
		case 0:
		case 1:
			break;			/* same address */
		case 2:
			addr += 0x10000 + (r >> 16 & 0x1ffff);
			break;
		default:
			addr += 4 + (r >> 16 & 0x3fc);
			break;
		}
		if (i == nsym / 3) {
			/* a run longer than a segment, globals or not */
			bool globals = seed & 1;

			for (int k = 0; k < 150; k++)
				fprintf(f, "%016llx %c run%d_%d\n",
					(unsigned long long)addr,
					globals && k > 40 && !(k % 17) ? 'T' :
					't', seed, k);
		}
		if (i == nsym / 2 && (seed & 2)) {
			/* data inside the text: a text segment across it */
			for (int k = 0; k < 400; k++)
				fprintf(f, "%016llx d data_in_text_%d\n",
					(unsigned long long)addr + k, k);
			addr += 400;
		}
		if (with_text && i == stext)
			fprintf(f, "%016llx T _stext\n",
				(unsigned long long)addr);
		else if (with_text && i == etext)
			fprintf(f, "%016llx %c _etext\n",
				(unsigned long long)addr, seed & 2 ? 'T' : 'D');
		else if (!(r >> 40 & 63))
			fprintf(f, "%016llx %c %s\n", (unsigned long long)addr,
				type, hot_sample[r % 10]);
		else if (!(r >> 46 & 31))
			fprintf(f, "%016llx t $x\n", (unsigned long long)addr);
		else if (!(r >> 51 & 31))
			fprintf(f, "%016llx b __key.%d\n",
				(unsigned long long)addr, i);
		else
			fprintf(f, "%016llx %c %s%llx%.*s\n",
				(unsigned long long)addr, type,
				r >> 56 & 1 ? "clone_" : "sym_",
				(unsigned long long)(r >> 56 & 1 ?
						     r >> 57 & 15 : r >> 20),
				/* now and then a long name */
				r >> 60 ? 0 : (int)(r >> 24 & 255),
				long_tail);
	}
	fclose(f);
}

static void test_map_index(void)
{
	const char *vmci_kaslr =
		"OSRELEASE=6.12.0-test\nKERNELOFFSET=1200000\n";
	const char *path = tmppath("System.map-random");
	struct sdei_symtab *tab = NULL;
	char what[128], ppath[64];
	uint64_t a = 0, off = 0;
	const char *s;
	int fds[2];

	for (unsigned int seed = 0; seed < 8; seed++) {
		write_random_map(path, seed, seed < 4 ? 3000 : 300, seed != 5);
		snprintf(what, sizeof(what), "random map %u", seed);
		map_compare(path, seed & 4 ? vmci_kaslr : NULL,
			    seed & 4 ? 0x1200000 : 0, what);
	}

	/* a map rewritten while in use: no names rather than wrong ones */
	write_random_map(path, 9, 3000, true);
	ok_noerr(sdei_symtab_from_system_map(path, NULL, &tab),
		 "map that changes: loads");
	write_random_map(path, 10, 3000, true);
	for (int i = 0; tab && i < 2000; i++)
		sdei_symtab_symbolize(tab, 0xffff800080000000ull +
				      (rnd() & 0xffffff), &off);
	ok(tab && !sdei_symtab_lookup(tab, "zz_in_no_map", &a) &&
	   !sdei_symtab_lookup(tab, "zz_in_no_map", &a),
	   "map that changes: the full table is refused");
	sdei_symtab_destroy(tab);

	/* a pipe: read whole, answers as from the file */
	tab = NULL;
	if (pipe(fds)) {
		ok(false, "pipe: %s", strerror(errno));
		return;
	}
	if (write(fds[1], small_map, sizeof(small_map) - 1 -
		  strlen("                 U undefined_thing\n")) < 0)
		ok(false, "pipe write: %s", strerror(errno));
	close(fds[1]);
	snprintf(ppath, sizeof(ppath), "/proc/self/fd/%d", fds[0]);
	ok_noerr(sdei_symtab_from_system_map(ppath, NULL, &tab),
		 "System.map from a pipe: loads");
	s = tab ? sdei_symtab_symbolize(tab, 0xffff800080010310, &off) : NULL;
	ok(s && !strcmp(s, "weak_fn") && off == 0x110 &&
	   sdei_symtab_lookup(tab, "dup_name", &a) &&
	   a == 0xffff800080200300 &&
	   !sdei_symtab_lookup(tab, "nope", &a) &&
	   (s = sdei_symtab_symbolize(tab, 0xffff800080200048, &off)) &&
	   !strcmp(s, "irq_stack_ptr"),
	   "System.map from a pipe: lookups and symbolize");
	sdei_symtab_destroy(tab);
	close(fds[0]);
}

/* ------------------------------------------------------------------ */
/* vmlinux: a tiny ELF                                                  */
/* ------------------------------------------------------------------ */

struct tsym {
	const char *name;
	int sec;		/* 1 .text, 2 .data, 3 .bss, SHN_ABS */
	uint64_t value;
	int bind, type;
};

static const struct tsym tsyms[] = {
	{ "_stext", 1, 0xffff800080010000, STB_GLOBAL, STT_NOTYPE },
	{ "$x", 1, 0xffff800080010000, STB_LOCAL, STT_NOTYPE },
	{ "do_thing", 1, 0xffff800080010040, STB_GLOBAL, STT_FUNC },
	{ "local_fn", 1, 0xffff800080010100, STB_LOCAL, STT_FUNC },
	{ "weak_fn", 1, 0xffff800080010200, STB_WEAK, STT_FUNC },
	{ "_etext", 1, 0xffff800080011000, STB_GLOBAL, STT_NOTYPE },
	{ "crash_notes", 3, 0xffff800080030000, STB_GLOBAL, STT_OBJECT },
	{ "__per_cpu_offset", 2, 0xffff800080020000, STB_GLOBAL, STT_OBJECT },
	{ "static_obj", 2, 0xffff800080020100, STB_LOCAL, STT_OBJECT },
	{ "abs_thing", SHN_ABS, 0x1234, STB_GLOBAL, STT_NOTYPE },
};

static const uint8_t build_id[20] = {
	0xec, 0x09, 0xaf, 0xaf, 0xbd, 0x37, 0xcb, 0x42, 0x13, 0xb9,
	0x8c, 0x12, 0x82, 0x16, 0x40, 0x15, 0x97, 0x50, 0xdd, 0x42,
};

static Elf_Scn *add_scn(Elf *elf, uint32_t name, uint32_t type,
			uint64_t flags, uint64_t addr, void *buf, size_t size,
			size_t align)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *d = elf_newdata(scn);
	GElf_Shdr sh;

	d->d_buf = buf;
	d->d_size = size;
	d->d_align = align;
	d->d_type = ELF_T_BYTE;
	gelf_getshdr(scn, &sh);
	sh.sh_name = name;
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_addr = addr;
	sh.sh_addralign = align;
	gelf_update_shdr(scn, &sh);
	return scn;
}

static bool write_vmlinux(const char *path, unsigned int machine)
{
	static char shstr[] = "\0.text\0.data\0.bss\0.note.gnu.build-id\0"
			      ".symtab\0.strtab\0.shstrtab";
	static uint8_t text[0x1000], data[0x200];
	static uint8_t note[16 + 20];
	static char strtab[512];
	static Elf64_Sym syms[16];
	size_t nstr = 1, n = 1;
	Elf_Scn *symscn, *strscn, *shscn;
	GElf_Shdr sh;
	GElf_Ehdr eh;
	Elf *elf;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return false;
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	gelf_newehdr(elf, ELFCLASS64);
	gelf_getehdr(elf, &eh);
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_EXEC;
	eh.e_machine = (Elf64_Half)machine;
	eh.e_version = EV_CURRENT;
	gelf_update_ehdr(elf, &eh);

	/* .note.gnu.build-id: namesz 4, descsz 20, type 3, "GNU\0" */
	memset(note, 0, sizeof(note));
	note[0] = 4;
	note[4] = 20;
	note[8] = 3;
	memcpy(note + 12, "GNU", 4);
	memcpy(note + 16, build_id, 20);

	add_scn(elf, 1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
		0xffff800080010000, text, sizeof(text), 16);
	add_scn(elf, 7, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
		0xffff800080020000, data, sizeof(data), 16);
	add_scn(elf, 13, SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
		0xffff800080030000, NULL, 0x100, 16);
	add_scn(elf, 18, SHT_NOTE, SHF_ALLOC, 0xffff800080040000, note,
		sizeof(note), 4);

	memset(syms, 0, sizeof(syms));
	for (size_t i = 0; i < sizeof(tsyms) / sizeof(tsyms[0]); i++, n++) {
		size_t l = strlen(tsyms[i].name) + 1;

		memcpy(strtab + nstr, tsyms[i].name, l);
		syms[n].st_name = (Elf64_Word)nstr;
		nstr += l;
		syms[n].st_info = (unsigned char)ELF64_ST_INFO(tsyms[i].bind,
							tsyms[i].type);
		syms[n].st_shndx = (Elf64_Half)tsyms[i].sec;
		syms[n].st_value = tsyms[i].value;
	}
	symscn = add_scn(elf, 38, SHT_SYMTAB, 0, 0, syms,
			 n * sizeof(Elf64_Sym), 8);
	elf_getdata(symscn, NULL)->d_type = ELF_T_SYM;
	strscn = add_scn(elf, 46, SHT_STRTAB, 0, 0, strtab, nstr, 1);
	shscn = add_scn(elf, 54, SHT_STRTAB, 0, 0, shstr, sizeof(shstr), 1);
	gelf_getshdr(symscn, &sh);
	sh.sh_link = (Elf64_Word)elf_ndxscn(strscn);
	sh.sh_entsize = sizeof(Elf64_Sym);
	sh.sh_info = 1;
	gelf_update_shdr(symscn, &sh);
	gelf_getehdr(elf, &eh);
	eh.e_shstrndx = (Elf64_Half)elf_ndxscn(shscn);
	gelf_update_ehdr(elf, &eh);
	if (elf_update(elf, ELF_C_WRITE) < 0) {
		printf("# elf_update: %s\n", elf_errmsg(-1));
		elf_end(elf);
		close(fd);
		return false;
	}
	elf_end(elf);
	close(fd);
	return true;
}

static void test_vmlinux(void)
{
	const char *vmci =
		"OSRELEASE=6.12.0-test\n"
		"BUILD-ID=ec09afafbd37cb4213b98c12821640159750dd42\n"
		"SYMBOL(_stext)=ffff800081210000\nKERNELOFFSET=1200000\n";
	const char *vmci_other =
		"BUILD-ID=aa1baf2841c8b47296c91289f85df12f6c8b8bf2\n";
	const char *path = tmppath("vmlinux-test"), *s;
	struct sdei_symtab *tab = NULL;
	uint64_t a = 0, off = 0;
	char msg[8192];

	elf_version(EV_CURRENT);
	if (!write_vmlinux(path, EM_AARCH64)) {
		ok(false, "vmlinux: write the test ELF");
		return;
	}
	ok_noerr(sdei_symtab_from_vmlinux(path, vmci, &tab),
		 "vmlinux: loads, build ID and _stext match under KASLR");
	if (!tab)
		return;
	snprintf(msg, sizeof(msg), "vmlinux '%s'", path);
	ok(!strcmp(sdei_symtab_describe(tab), msg) &&
	   sdei_symtab_source(tab) == SDEI_SYMSRC_VMLINUX,
	   "vmlinux: describe and source");
	ok(sdei_symtab_lookup(tab, "crash_notes", &a) &&
	   a == 0xffff800080030000 + 0x1200000, "vmlinux: bss object relocated");
	ok(sdei_symtab_lookup(tab, "static_obj", &a), "vmlinux: local object");
	ok(!sdei_symtab_lookup(tab, "abs_thing", &a) &&
	   !sdei_symtab_lookup(tab, "$x", &a),
	   "vmlinux: absolute and mapping symbols ignored");
	ok(sdei_symtab_has_data(tab), "vmlinux: has data");
	s = sdei_symtab_symbolize(tab, 0xffff800081210104, &off);
	ok(s && !strcmp(s, "local_fn") && off == 4,
	   "vmlinux: symbolize local_fn+0x4 (got %s)", s ? s : "NULL");
	s = sdei_symtab_symbolize(tab, 0xffff800081210208, &off);
	ok(s && !strcmp(s, "weak_fn"), "vmlinux: weak function symbolized");
	sdei_symtab_destroy(tab);
	tab = NULL;

	snprintf(msg, sizeof(msg),
		 "'%s' does not match the dump: BUILD-ID is aa1baf2841c8b47296c91289f85df12f6c8b8bf2 in the dump but ec09afafbd37cb4213b98c12821640159750dd42 in the file",
		 path);
	ok_err(sdei_symtab_from_vmlinux(path, vmci_other, &tab),
	       SDEI_ERROR_MISMATCH, msg, "vmlinux: build ID mismatch");

	snprintf(msg, sizeof(msg), "'%s' is not an ELF file",
		 tmppath("System.map-small"));
	ok_err(sdei_symtab_from_vmlinux(tmppath("System.map-small"), NULL,
					&tab),
	       SDEI_ERROR_FORMAT, msg, "vmlinux: not ELF");
	path = tmppath("vmlinux-x86");
	if (write_vmlinux(path, EM_X86_64)) {
		snprintf(msg, sizeof(msg),
			 "'%s' is not a little-endian arm64 vmlinux (ELF machine 62)",
			 path);
		ok_err(sdei_symtab_from_vmlinux(path, NULL, &tab),
		       SDEI_ERROR_FORMAT, msg, "vmlinux: x86_64 refused");
	}
}

/* ------------------------------------------------------------------ */
/* kallsyms: synthetic tables in fake memory                           */
/* ------------------------------------------------------------------ */

#define KBASE 0xffff800080300000ull

struct fakemem {
	uint64_t base;
	uint8_t buf[0x10000];
	size_t size;
	uint64_t reads;
};

static struct sdei_error *fake_read(void *arg, enum sdei_addr_space space,
				    uint64_t addr, void *buf, size_t len)
{
	struct fakemem *m = arg;

	m->reads += len;
	if (space != SDEI_KVADDR || addr < m->base ||
	    addr - m->base > m->size || len > m->size - (addr - m->base))
		return sdei_error_fault(addr, "no page at 0x%llx",
					(unsigned long long)addr);
	memcpy(buf, m->buf + (addr - m->base), len);
	return NULL;
}

struct ksym_spec {
	const char *name;	/* with the type letter first */
	uint64_t addr;
};

static const struct ksym_spec kspec[] = {
	{ "T_text", 0xffff800080000000 },
	{ "T_stext", 0xffff800080010000 },
	{ "Tcrash_save_cpu", 0xffff800080010100 },
	{ "tipi_handler", 0xffff800080010200 },
	{ "D__per_cpu_offset", 0xffff800080200000 },
	{ "Bcrash_notes", 0xffff800080200400 },
};

/*
 * Layout (6.12 order): num_syms @0, names @0x10, token_table @0x1000,
 * token_index @0x1400, offsets @0x1600, relative_base @0x1800 (or none:
 * place-relative). Token 0x80 is "crash_".
 */
static char *build_kallsyms(struct fakemem *m, bool place_relative,
			    bool long_name)
{
	static char vmci[1024];
	uint8_t *p = m->buf;
	size_t off = 0x10, nsyms = 0;
	uint64_t relbase = 0xffff800080000000;

	memset(m, 0, sizeof(*m));
	m->base = KBASE;
	m->size = 0x1808 + 8;
	/* tokens: byte b is the character b; 0x80 is "crash_" */
	for (int b = 0, t = 0; b < 256; b++) {
		p[0x1400 + 2 * b] = (uint8_t)t;
		p[0x1400 + 2 * b + 1] = (uint8_t)(t >> 8);
		if (b == 0x80) {
			memcpy(p + 0x1000 + t, "crash_", 7);
			t += 7;
		} else {
			p[0x1000 + t] = (uint8_t)(b >= 0x21 && b < 0x7f ?
						 b : 'x');
			t += 2;
		}
	}
	for (size_t i = 0; i < sizeof(kspec) / sizeof(kspec[0]); i++) {
		const char *n = kspec[i].name;
		uint8_t enc[300];
		size_t len = 0;
		int32_t v;

		for (; *n; n++) {
			if (!strncmp(n, "crash_", 6)) {
				enc[len++] = 0x80;
				n += 5;
			} else {
				enc[len++] = (uint8_t)*n;
			}
		}
		p[off++] = (uint8_t)len;
		memcpy(p + off, enc, len);
		off += len;
		v = place_relative ?
			(int32_t)(kspec[i].addr - (KBASE + 0x1600 + 4 * i)) :
			(int32_t)(kspec[i].addr - relbase);
		memcpy(p + 0x1600 + 4 * i, &v, 4);
		nsyms++;
	}
	if (long_name) {
		/* 150 tokens: the two-byte length of 6.1+ */
		p[off++] = 0x80 | (150 & 0x7f);
		p[off++] = 150 >> 7;
		p[off++] = 'T';
		for (int i = 1; i < 150; i++)
			p[off++] = 'z';
		int32_t v = place_relative ?
			(int32_t)(0xffff800080010300 -
				  (KBASE + 0x1600 + 4 * nsyms)) :
			(int32_t)(0xffff800080010300 - relbase);
		memcpy(p + 0x1600 + 4 * nsyms, &v, 4);
		nsyms++;
	}
	p[0] = (uint8_t)nsyms;
	memcpy(p + 0x1800, &relbase, 8);
	snprintf(vmci, sizeof(vmci),
		 "OSRELEASE=6.12.0-test\n"
		 "SYMBOL(_stext)=ffff800080010000\n"
		 "SYMBOL(kallsyms_names)=%llx\n"
		 "SYMBOL(kallsyms_num_syms)=%llx\n"
		 "SYMBOL(kallsyms_token_table)=%llx\n"
		 "SYMBOL(kallsyms_token_index)=%llx\n"
		 "SYMBOL(kallsyms_offsets)=%llx\n%s%llx\n",
		 KBASE + 0x10, KBASE, KBASE + 0x1000, KBASE + 0x1400,
		 KBASE + 0x1600,
		 place_relative ? "KERNELOFFSET=" :
		 "SYMBOL(kallsyms_relative_base)=",
		 place_relative ? 0ull : KBASE + 0x1800);
	return vmci;
}

static void test_kallsyms_synthetic(void)
{
	static struct fakemem m;
	struct sdei_symtab *tab = NULL;
	const char *vmci;
	uint64_t a = 0;
	char bad[2048], *q;

	vmci = build_kallsyms(&m, false, true);
	ok_noerr(sdei_symtab_from_kallsyms(fake_read, &m, vmci, &tab),
		 "kallsyms: synthetic base-relative table decodes");
	/*
	 * 0x1810 bytes of tables, read twice: the long name's symbol is
	 * out of address order, so the full table follows the index
	 */
	ok(m.reads < 0x3000, "kallsyms: reads stay in the tables (%llu)",
	   (unsigned long long)m.reads);
	if (tab) {
		ok(sdei_symtab_lookup(tab, "crash_notes", &a) &&
		   a == 0xffff800080200400, "kallsyms: crash_notes (token)");
		ok(sdei_symtab_lookup(tab, "ipi_handler", &a) &&
		   a == 0xffff800080010200, "kallsyms: ipi_handler");
		ok(sdei_symtab_has_data(tab) &&
		   !strcmp(sdei_symtab_describe(tab),
			   "kallsyms in the dump (7 symbols, with data)"),
		   "kallsyms: describe '%s'", sdei_symtab_describe(tab));
		/* not a name the analysis asks for: all names are read */
		memset(bad, 'z', 149);
		bad[149] = '\0';
		ok(sdei_symtab_lookup(tab, bad, &a) && a == 0xffff800080010300,
		   "kallsyms: two-byte length name");
		sdei_symtab_destroy(tab);
		tab = NULL;
	}

	vmci = build_kallsyms(&m, true, false);
	ok_noerr(sdei_symtab_from_kallsyms(fake_read, &m, vmci, &tab),
		 "kallsyms: place-relative (v7.0) table decodes");
	ok(tab && sdei_symtab_lookup(tab, "crash_save_cpu", &a) &&
	   a == 0xffff800080010100, "kallsyms: place-relative address");
	if (tab) {
		uint64_t probe[64];
		size_t np = 0;

		for (size_t i = 0; i < sizeof(kspec) / sizeof(*kspec) &&
		     np + 4 <= 64; i++) {
			probe[np++] = kspec[i].addr;
			probe[np++] = kspec[i].addr - 1;
			probe[np++] = kspec[i].addr + 1;
			probe[np++] = kspec[i].addr + 0x10;
		}
		lazy_vs_full(tab, probe, np, "kallsyms: place-relative");
	}
	sdei_symtab_destroy(tab);
	tab = NULL;

	/* hostile: absurd num_syms */
	vmci = build_kallsyms(&m, false, false);
	memset(m.buf, 0xff, 4);
	ok_err(sdei_symtab_from_kallsyms(fake_read, &m, vmci, &tab),
	       SDEI_ERROR_CORRUPT,
	       "kallsyms: kallsyms_num_syms is 4294967295",
	       "kallsyms: absurd num_syms");
	/* more symbols than kallsyms_offsets can hold */
	vmci = build_kallsyms(&m, false, false);
	m.buf[0] = 200;
	m.buf[1] = 0;
	ok_err(sdei_symtab_from_kallsyms(fake_read, &m, vmci, &tab),
	       SDEI_ERROR_CORRUPT, NULL, "kallsyms: names run past the table");
	/* a name running into the token table */
	vmci = build_kallsyms(&m, false, false);
	m.buf[0x10] = 0x7f;
	memset(m.buf + 0x11, 'a', 0x1000 - 0x11);
	m.buf[0] = 100;
	ok_err(sdei_symtab_from_kallsyms(fake_read, &m, vmci, &tab),
	       SDEI_ERROR_CORRUPT,
	       "kallsyms: kallsyms_names at 0xffff800080300010 runs past 0xffff800080301000",
	       "kallsyms: names past the table");
	/* token index out of range */
	vmci = build_kallsyms(&m, false, false);
	m.buf[0x1400 + 2 * 'T'] = 0xff;
	m.buf[0x1400 + 2 * 'T' + 1] = 0xff;
	ok_err(sdei_symtab_from_kallsyms(fake_read, &m, vmci, &tab),
	       SDEI_ERROR_CORRUPT,
	       "kallsyms: token index 65535 is out of kallsyms_token_table",
	       "kallsyms: token index out of range");
	/* offsets that do not give _stext */
	vmci = build_kallsyms(&m, false, false);
	memset(m.buf + 0x1600, 0x11, 24);
	ok_err(sdei_symtab_from_kallsyms(fake_read, &m, vmci, &tab),
	       SDEI_ERROR_CORRUPT, NULL, "kallsyms: wrong offsets");
	/* tables outside the dump */
	vmci = build_kallsyms(&m, false, false);
	snprintf(bad, sizeof(bad), "%s", vmci);
	q = strstr(bad, "SYMBOL(kallsyms_token_index)=");
	memcpy(q + strlen("SYMBOL(kallsyms_token_index)="), "ffff9", 5);
	ok_err(sdei_symtab_from_kallsyms(fake_read, &m, bad, &tab),
	       SDEI_ERROR_FAULT, NULL, "kallsyms: unreadable table");
	ok_err(sdei_symtab_from_kallsyms(fake_read, &m,
					 "OSRELEASE=5.15.0\n", &tab),
	       SDEI_ERROR_LOOKUP,
	       "VMCOREINFO has no kallsyms tables (Linux < 6.0, or CONFIG_KALLSYMS off)",
	       "kallsyms: none in VMCOREINFO");
	ok(!tab, "kallsyms: no table after errors");
}

/* ------------------------------------------------------------------ */
/* Real dumps                                                          */
/* ------------------------------------------------------------------ */

static const char *realcores(void)
{
	static char dir[4200];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/../shared/realcores", repo);
	return stat(dir, &st) == 0 ? dir : NULL;
}

/* The decompressed copy in tests/cache/, made once. */
static const char *cached(const char *name)
{
	static char out[8][4400];
	static int n;
	char *path = out[n++ % 8], src[4400], cmd[13000];
	const char *rc = realcores();
	struct stat st;

	if (!rc)
		return NULL;
	snprintf(src, sizeof(src), "%s/%s", rc, name);
	if (!stat(src, &st))
		return strcpy(path, src);
	snprintf(src, sizeof(src), "%s/%s.xz", rc, name);
	if (stat(src, &st))
		return NULL;
	snprintf(path, sizeof(out[0]), "%s/tests/cache/%s", repo, name);
	if (!stat(path, &st))
		return path;
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s/tests/cache' && xz -dc '%s' > '%s.tmp' && mv '%s.tmp' '%s'",
		 repo, src, path, path, path);
	if (system(cmd))
		return NULL;
	return path;
}

struct kdump {
	kdump_ctx_t *ctx;
	char *vmcoreinfo;
	int fd;
};

static void test_discover_real(struct kdump *k);

static struct sdei_error *kd_read(void *arg, enum sdei_addr_space space,
				  uint64_t addr, void *buf, size_t len)
{
	struct kdump *k = arg;
	size_t got = len;

	if (kdump_read(k->ctx, space == SDEI_KVADDR ? KDUMP_KVADDR :
		       KDUMP_KPHYSADDR, addr, buf, &got) != KDUMP_OK ||
	    got != len)
		return sdei_error_fault(addr, "cannot read 0x%llx: %s",
					(unsigned long long)addr,
					kdump_get_err(k->ctx));
	return NULL;
}

static bool kd_open(struct kdump *k, const char *path)
{
	memset(k, 0, sizeof(*k));
	k->fd = open(path, O_RDONLY);
	if (k->fd < 0)
		return false;
	k->ctx = kdump_new();
	if (!k->ctx || kdump_open_fd(k->ctx, k->fd) != KDUMP_OK ||
	    kdump_set_string_attr(k->ctx, KDUMP_ATTR_OSTYPE, "linux") !=
	    KDUMP_OK || kdump_vmcoreinfo_raw(k->ctx, &k->vmcoreinfo) !=
	    KDUMP_OK) {
		printf("# %s: %s\n", path,
		       k->ctx ? kdump_get_err(k->ctx) : "kdump_new");
		if (k->ctx)
			kdump_free(k->ctx);
		close(k->fd);
		return false;
	}
	return true;
}

static void kd_close(struct kdump *k)
{
	free(k->vmcoreinfo);
	kdump_free(k->ctx);
	close(k->fd);
}

struct realcase {
	const char *dump;
	const char *map;
	unsigned int nsyms;
	bool data;
};

static const struct realcase cases[] = {
	{ "vmcore-deb-baseline.kdump", "System.map-6.12.117+deb12-arm64",
	  151594, true },
	{ "vmcore-pnmi-baseline.elf", "System.map-6.12.117-rcpnmi", 21800,
	  true },
	{ "vmcore-baseline.elf", "System.map-6.1.0-50-cloud-arm64", 44630,
	  false },
};

static void test_real(void)
{
	static const char *const data_names[] = {
		"crash_notes", "__per_cpu_offset", "irq_stack_ptr",
		"__irq_regs", "__cpu_online_mask", "panic_cpu",
	};
	static const char *const text_names[] = {
		"ipi_handler", "__crash_kexec", "crash_save_cpu", "panic",
		"default_idle_call",
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct realcase *rc = &cases[c];
		struct sdei_symtab *map = NULL, *ks = NULL;
		const char *dpath = cached(rc->dump), *mpath = cached(rc->map);
		struct sdei_error *err;
		struct kdump k;
		double t0, t1, t2;
		char want[128];
		bool same;

		if (!dpath || !mpath || !kd_open(&k, dpath)) {
			skip("%s: real dump not available", rc->dump);
			continue;
		}
		t0 = now_ms();
		err = sdei_symtab_from_system_map(mpath, k.vmcoreinfo, &map);
		t1 = now_ms();
		ok_noerr(err, "%s: %s loads and matches", rc->dump, rc->map);
		printf("# %s: System.map load %.1f ms\n", rc->map, t1 - t0);
		/*
		 * Timing is machine-dependent (a cold load here is mostly
		 * page faults): only catch the pathological.
		 */
		ok(t1 - t0 < 1000, "%s: System.map load under 1 s (%.1f ms)",
		   rc->map, t1 - t0);

		if (map) {
			uint64_t kaslr = 0;

			sdei_vmcoreinfo_number(k.vmcoreinfo, "KERNELOFFSET", 16,
					       &kaslr);
			map_compare(mpath, k.vmcoreinfo, kaslr, rc->map);
		}

		t1 = now_ms();
		err = sdei_symtab_from_kallsyms(kd_read, &k, k.vmcoreinfo, &ks);
		t2 = now_ms();
		ok_noerr(err, "%s: kallsyms decode", rc->dump);
		printf("# %s: kallsyms decode %.1f ms\n", rc->dump, t2 - t1);
		if (!ks || !map) {
			sdei_symtab_destroy(map);
			sdei_symtab_destroy(ks);
			kd_close(&k);
			continue;
		}
		snprintf(want, sizeof(want),
			 "kallsyms in the dump (%u symbols, %s)", rc->nsyms,
			 rc->data ? "with data" : "text only");
		ok(!strcmp(sdei_symtab_describe(ks), want), "%s: describe '%s'",
		   rc->dump, sdei_symtab_describe(ks));
		ok(sdei_symtab_has_data(ks) == rc->data &&
		   sdei_symtab_has_data(map), "%s: has_data", rc->dump);
		same = true;
		for (size_t i = 0; i < sizeof(data_names) / sizeof(data_names[0]);
		     i++) {
			uint64_t a = 0, b = 0;
			bool in_ks = sdei_symtab_lookup(ks, data_names[i], &a);
			bool in_map = sdei_symtab_lookup(map, data_names[i], &b);

			if (!in_map || in_ks != rc->data || (in_ks && a != b)) {
				printf("# %s: ks %d 0x%llx map %d 0x%llx\n",
				       data_names[i], in_ks,
				       (unsigned long long)a, in_map,
				       (unsigned long long)b);
				same = false;
			}
		}
		ok(same, "%s: data symbols %s", rc->dump,
		   rc->data ? "match System.map" : "absent from kallsyms");
		same = true;
		for (size_t i = 0; i < sizeof(text_names) / sizeof(text_names[0]);
		     i++) {
			uint64_t a = 0, b = 0, o1 = 0, o2 = 0;
			const char *s1, *s2;

			if (!sdei_symtab_lookup(ks, text_names[i], &a) ||
			    !sdei_symtab_lookup(map, text_names[i], &b) ||
			    a != b) {
				printf("# %s: 0x%llx vs 0x%llx\n",
				       text_names[i], (unsigned long long)a,
				       (unsigned long long)b);
				same = false;
				continue;
			}
			s1 = sdei_symtab_symbolize(ks, a + 0x10, &o1);
			s2 = sdei_symtab_symbolize(map, a + 0x10, &o2);
			if (!s1 || !s2 || strcmp(s1, s2) || o1 != o2) {
				printf("# symbolize %s+0x10: %s / %s\n",
				       text_names[i], s1 ? s1 : "NULL",
				       s2 ? s2 : "NULL");
				same = false;
			}
		}
		ok(same, "%s: text symbols and symbolize agree", rc->dump);
		{
			struct refsym *ref;
			size_t nref = ref_read(mpath, &ref), np;
			uint64_t kaslr = 0, *addr;

			sdei_vmcoreinfo_number(k.vmcoreinfo, "KERNELOFFSET", 16,
					       &kaslr);
			addr = probe_addrs(ref, nref, kaslr, &np);
			snprintf(want, sizeof(want), "%s kallsyms", rc->dump);
			lazy_vs_full(ks, addr, np, want);
			free(addr);
			for (size_t i = 0; i < nref; i++)
				free(ref[i].name);
			free(ref);
		}
		if (!rc->data) {
			uint64_t a = 0;

			ok(sdei_symtab_lookup(map, "crash_notes", &a) &&
			   a == 0xffff800009a32f38 &&
			   sdei_symtab_lookup(map, "__per_cpu_offset", &a) &&
			   a == 0xffff800009812f68,
			   "%s: 6.1 crash_notes/__per_cpu_offset addresses",
			   rc->dump);
		}
		sdei_symtab_destroy(map);
		sdei_symtab_destroy(ks);

		/* a map of another kernel must be refused */
		map = NULL;
		err = sdei_symtab_from_system_map(
			cached(cases[(c + 1) % 3].map), k.vmcoreinfo, &map);
		ok(err && err->code == SDEI_ERROR_MISMATCH,
		   "%s: foreign System.map refused (%s)", rc->dump,
		   err ? err->message : "accepted");
		sdei_error_destroy(err);
		sdei_symtab_destroy(map);

		if (c == 1) {
			const char *vpath = cached("vmlinux-6.12.117-rcpnmi");
			struct sdei_symtab *v = NULL;
			uint64_t a = 0, b = 0;

			if (!vpath) {
				skip("vmlinux-6.12.117-rcpnmi not available");
			} else {
				t0 = now_ms();
				err = sdei_symtab_from_vmlinux(vpath,
							       k.vmcoreinfo,
							       &v);
				t1 = now_ms();
				ok_noerr(err, "vmlinux-6.12.117-rcpnmi loads, build ID matches");
				printf("# vmlinux-6.12.117-rcpnmi load %.1f ms\n",
				       t1 - t0);
				ok(v && sdei_symtab_lookup(v, "crash_notes", &a) &&
				   sdei_symtab_lookup(v, "__irq_regs", &b),
				   "vmlinux: crash_notes, __irq_regs");
				sdei_symtab_destroy(v);
			}
		}
		if (c == 2) {
			const char *vpath = cached("vmlinux-6.12.117-rcpnmi");
			struct sdei_symtab *v = NULL;

			if (vpath)
				ok_err(sdei_symtab_from_vmlinux(vpath,
								k.vmcoreinfo,
								&v),
				       SDEI_ERROR_MISMATCH, NULL,
				       "vmlinux of another kernel refused");
		}
		if (c == 2)
			test_discover_real(&k);
		kd_close(&k);
	}
}

/* ------------------------------------------------------------------ */
/* Discovery (under a root prefix)                                      */
/* ------------------------------------------------------------------ */

static void test_discover_real(struct kdump *k)
{
	const char *rel = "6.1.0-50-cloud-arm64";
	struct sdei_symtab *tab = NULL;
	char root[4200], path[8400], want[65536], *why = NULL;
	struct sdei_error *err;

	snprintf(root, sizeof(root), "%s/root", tmpdir);
	snprintf(path, sizeof(path), "%s/boot", root);
	mkdir(root, 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/boot/System.map-%s", root, rel);
	write_file(path,
		   "ffffffffffffffff B The real System.map is in the linux-image-6.1.0-50-cloud-arm64-dbg package\n",
		   95);

	err = sdei_symtab_discover(NULL, NULL, k->vmcoreinfo, root, &tab,
				   &why);
	ok_noerr(err, "discover: no error when nothing is found");
	snprintf(want, sizeof(want),
		 "no symbols found: no '%s/usr/lib/debug/boot/vmlinux-%s'; no '%s/usr/lib/debug/lib/modules/%s/vmlinux'; '%s' is Debian's placeholder (the symbols are in the linux-image-%s-dbg package); kallsyms: no dump memory to read",
		 root, rel, root, rel, path, rel);
	ok(!tab && why && !strcmp(why, want), "discover: why sentence");
	if (why && strcmp(why, want))
		printf("# got  %s\n# want %s\n", why, want);
	free(why);
	why = NULL;

	err = sdei_symtab_discover(kd_read, k, k->vmcoreinfo, root, &tab,
				   &why);
	ok(!err && tab && !why &&
	   sdei_symtab_source(tab) == SDEI_SYMSRC_KALLSYMS &&
	   !sdei_symtab_has_data(tab),
	   "discover: stub skipped, kallsyms (text only) used: %s",
	   tab ? sdei_symtab_describe(tab) : why);
	sdei_error_destroy(err);
	sdei_symtab_destroy(tab);
	free(why);
	tab = NULL;
	why = NULL;

	/* the real map in /boot is taken */
	unlink(path);
	if (symlink(cached("System.map-6.1.0-50-cloud-arm64"), path) == 0) {
		err = sdei_symtab_discover(kd_read, k, k->vmcoreinfo, root,
					   &tab, &why);
		ok(!err && tab &&
		   sdei_symtab_source(tab) == SDEI_SYMSRC_SYSTEM_MAP,
		   "discover: /boot/System.map used");
		sdei_error_destroy(err);
		sdei_symtab_destroy(tab);
		free(why);
		tab = NULL;
		why = NULL;
	}

	/* a debug vmlinux of another build is noted, not used */
	snprintf(path, sizeof(path), "%s/usr", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/usr/lib", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/usr/lib/debug", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/usr/lib/debug/boot", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/usr/lib/debug/boot/vmlinux-%s", root,
		 rel);
	if (write_vmlinux(path, EM_AARCH64)) {
		err = sdei_symtab_discover(NULL, NULL, k->vmcoreinfo, root,
					   &tab, &why);
		ok(!err && tab &&
		   sdei_symtab_source(tab) == SDEI_SYMSRC_SYSTEM_MAP,
		   "discover: foreign vmlinux skipped for System.map");
		sdei_symtab_destroy(tab);
		tab = NULL;
		free(why);
		why = NULL;
		snprintf(path, sizeof(path), "%s/boot/System.map-%s", root,
			 rel);
		unlink(path);
		err = sdei_symtab_discover(NULL, NULL, k->vmcoreinfo, root,
					   &tab, &why);
		ok(!err && !tab && why &&
		   strstr(why, "does not match the dump: BUILD-ID is aa1baf2841c8b47296c91289f85df12f6c8b8bf2 in the dump"),
		   "discover: why names the build ID mismatch (%s)",
		   why ? why : "");
		sdei_error_destroy(err);
		free(why);
	}
}

static void find_repo(const char *argv0)
{
	char buf[4200];
	struct stat st;

	/* the repository holds include/sdei-vmcore.h: from cwd or argv[0] */
	if (getcwd(repo, sizeof(repo))) {
		for (int up = 0; up < 4; up++) {
			snprintf(buf, sizeof(buf), "%s/include/sdei-vmcore.h",
				 repo);
			if (!stat(buf, &st))
				return;
			strcat(repo, "/..");
		}
	}
	snprintf(repo, sizeof(repo), "%s", argv0);
	for (int up = 0; up < 5; up++) {
		char *slash = strrchr(repo, '/');

		if (!slash)
			break;
		*slash = '\0';
		snprintf(buf, sizeof(buf), "%s/include/sdei-vmcore.h", repo);
		if (!stat(buf, &st))
			return;
	}
	strcpy(repo, ".");
}

int main(int argc, char **argv)
{
	char cmd[4200];

	(void)argc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	find_repo(argv[0]);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-sym.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 99;
	}
	test_map();
	test_map_index();
	test_vmlinux();
	test_kallsyms_synthetic();
	if (realcores())
		test_real();
	else
		skip("no ../shared/realcores: real dumps not tested");
	printf("1..%d\n", nr_tests);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		nr_failed = 1;
	return nr_failed ? 1 : 0;
}
