// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report model and its printers: the JSON keys are a contract
 * (DESIGN.md §4), so they are checked exactly, by parsing the output back.
 * TAP output; exit 0 when all pass, 1 otherwise.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"
#include "print-common.h"
#include "tap.h"


static void diag(const char *what, const char *s)
{
	const char *p;

	printf("# %s:\n# ", what);
	for (p = s; *p; p++) {
		putchar(*p);
		if (*p == '\n' && p[1])
			fputs("# ", stdout);
	}
	putchar('\n');
}

static void check(struct sdei_error *err)
{
	if (err) {
		printf("Bail out! %s\n", err->message);
		exit(99);
	}
}

#define EVIL "say \"hi\"\n\tback\\slash </testcase> & 'q'"

/*
 * CPU 0 stopped by IPI, CPU 1 the panic CPU, CPU 2 missing, and a note
 * that maps to no CPU, judged stale.
 */
static struct sdei_report *build_report(void)
{
	struct sdei_report *r = sdei_report_create();
	struct sdei_cpu_report *c;

	if (!r)
		check(&sdei_error_nomem);
	check(sdei_facts_add(&r->dump, "format", "%s", "elf"));
	check(sdei_facts_add(&r->dump, "path", "%s", "/var/crash/vmcore"));
	check(sdei_facts_add(&r->dump, "release", "%s", "6.12.0-test"));
	check(sdei_facts_add(&r->dump, "symbols", "System.map '%s'",
			     "/boot/System.map"));

	check(sdei_report_add_cpu(r, 0, &c));
	c->verdict = SDEI_VERDICT_STOPPED;
	c->path = SDEI_PATH_IPI;
	c->note = 0;
	c->has_regs = true;
	c->pid = 0;
	c->regs[SDEI_REG_PC] = 0xffff800080012345;
	c->regs[SDEI_REG_SP] = 0xffff800082003e50;
	c->regs[SDEI_REG_LR] = 0xffff800080012300;
	c->regs[SDEI_REG_PSTATE] = 0x60000005;	/* EL1h, daif clear */
	c->pc_sym = strdup("default_idle_call+0x38");
	check(sdei_facts_add(&c->evidence, "irq_regs", "0x%x = note",
			     0x1234));
	check(sdei_facts_add(&c->evidence, "online", "%s", "no"));

	check(sdei_report_add_cpu(r, 1, &c));
	c->verdict = SDEI_VERDICT_PANIC;
	c->path = SDEI_PATH_PANIC;
	c->note = 1;
	c->has_regs = true;
	c->pid = 261;
	c->regs[SDEI_REG_PC] = 0xffff8000801a0178;
	c->regs[SDEI_REG_SP] = 0xffff800082bf3c40;
	c->regs[SDEI_REG_PSTATE] = 0x3c5;		/* EL1h, DAIF */
	check(sdei_facts_add(&c->evidence, "panic_cpu", "%d", 1));

	check(sdei_report_add_cpu(r, 2, &c));
	c->verdict = SDEI_VERDICT_MISSING;
	check(sdei_facts_add(&c->evidence, "crash_notes", "all zero"));

	check(sdei_report_add_cpu(r, -1, &c));
	c->verdict = SDEI_VERDICT_STALE;
	c->note = 3;
	c->has_regs = true;
	c->pid = 7;
	c->regs[SDEI_REG_PSTATE] = 0x0;		/* EL0t */
	check(sdei_facts_add(&c->evidence, "quote", "%s", EVIL));

	check(sdei_facts_add(&r->findings, "log", "%s",
			     "SMP: failed to stop secondary CPUs 2"));
	check(sdei_facts_add(&r->sources, "crash_notes",
			     "symbol 0x%llx (System.map)",
			     0xffff800009a32f38ULL));
	sdei_report_finish(r);
	return r;
}

static char *capture(void (*fn)(FILE *f, void *arg), void *arg)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		check(&sdei_error_nomem);
	fn(f, arg);
	fclose(f);
	return buf;
}

struct print_args {
	const struct sdei_report *r;
	bool pretty, verbose;
	const struct sdei_policy *policy;
};

static void do_json(FILE *f, void *arg)
{
	struct print_args *a = arg;

	sdei_report_print_json(f, a->r, a->pretty, a->verbose,
				      a->policy);
}

static void do_text(FILE *f, void *arg)
{
	struct print_args *a = arg;

	sdei_report_print_text(f, a->r, a->verbose, a->policy);
}

static void do_junit(FILE *f, void *arg)
{
	struct print_args *a = arg;

	sdei_report_print_junit(f, a->r, a->policy);
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool is_null(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v == NULL;
}

static long num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -999;
	return (long)json_object_get_int64(v);
}

static bool keys_are(struct json_object *o, const char *const *keys)
{
	size_t i = 0;

	if (!json_object_is_type(o, json_type_object))
		return false;
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (!keys[i] || strcmp(keys[i], key))
			return false;
		i++;
	}
	return !keys[i];
}

static bool streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void test_names(void)
{
	ok(streq(sdei_verdict_name(SDEI_VERDICT_PANIC), "panic") &&
	   streq(sdei_verdict_name(SDEI_VERDICT_STOPPED), "stopped") &&
	   streq(sdei_verdict_name(SDEI_VERDICT_OFFLINE), "offline") &&
	   streq(sdei_verdict_name(SDEI_VERDICT_MISSING), "missing") &&
	   streq(sdei_verdict_name(SDEI_VERDICT_STALE), "stale") &&
	   streq(sdei_verdict_name(SDEI_VERDICT_UNKNOWN), "unknown"),
	   "verdict names");
	ok(!sdei_path_name(SDEI_PATH_NONE) &&
	   streq(sdei_path_name(SDEI_PATH_IPI), "ipi") &&
	   streq(sdei_path_name(SDEI_PATH_PSEUDO_NMI), "pseudo-nmi") &&
	   streq(sdei_path_name(SDEI_PATH_SDEI), "sdei") &&
	   streq(sdei_path_name(SDEI_PATH_SELF_STOP), "self-stop") &&
	   streq(sdei_path_name(SDEI_PATH_PANIC), "panic"),
	   "path names");
}

static void test_model(const struct sdei_report *r)
{
	ok(r->nr_cpus == 4 && r->counts[SDEI_VERDICT_STOPPED] == 1 &&
	   r->counts[SDEI_VERDICT_PANIC] == 1 &&
	   r->counts[SDEI_VERDICT_MISSING] == 1 &&
	   r->counts[SDEI_VERDICT_STALE] == 1 &&
	   r->counts[SDEI_VERDICT_UNKNOWN] == 0,
	   "sdei_report_finish() counts verdicts");
	ok(r->cpus[2].note == -1 && r->cpus[3].cpu == -1 &&
	   !r->cpus[2].has_regs && r->cpus[2].path == SDEI_PATH_NONE,
	   "sdei_report_add_cpu() defaults: note -1, no path, no regs");
	ok(streq(r->cpus[3].evidence.v[0].value, EVIL),
	   "sdei_facts_add() formats the value");
}

static void test_json(const struct sdei_report *r)
{
	static const char *const top_keys[] = {
		"dump", "cpus", "findings", "sources", "summary", NULL,
	};
	static const char *const top_keys_quiet[] = {
		"dump", "cpus", "findings", "summary", NULL,
	};
	static const char *const cpu_keys[] = {
		"cpu", "verdict", "path", "note", "pid", "pc", "sp", "lr",
		"pstate", "pc_sym", "mode", "daif", "evidence", NULL,
	};
	static const char *const dump_keys[] = {
		"format", "path", "release", "symbols", NULL,
	};
	static const char *const summary_keys[] = {
		"panic", "stopped", "offline", "missing", "stale", "unknown",
		"cpus", "absent", "expect_absent", "exit", NULL,
	};
	struct print_args a = { .r = r, .verbose = true };
	struct json_object *top, *pretty, *cpus, *c, *ev, *o, *sum;
	char *out, *out_pretty, *quiet;
	size_t i;
	bool all;

	out = capture(do_json, &a);
	a.pretty = true;
	out_pretty = capture(do_json, &a);
	a.pretty = false;
	a.verbose = false;
	quiet = capture(do_json, &a);

	top = json_tokener_parse(out);
	if (!ok(top != NULL, "compact JSON parses")) {
		diag("output", out);
		goto out;
	}
	ok(!strchr(out, '\n') || strchr(out, '\n') == out + strlen(out) - 1,
	   "compact JSON is one line");
	ok(strstr(out, "\"/var/crash/vmcore\"") != NULL,
	   "slashes are not escaped");
	pretty = json_tokener_parse(out_pretty);
	ok(pretty && json_object_equal(top, pretty) &&
	   strstr(out_pretty, "\n  \"cpus\": ["),
	   "pretty JSON is indented and holds the same document");
	json_object_put(pretty);
	pretty = json_tokener_parse(quiet);
	ok(keys_are(top, top_keys) && keys_are(pretty, top_keys_quiet),
	   "top-level keys in order; sources only when verbose");
	json_object_put(pretty);

	json_object_object_get_ex(top, "dump", &o);
	ok(keys_are(o, dump_keys) && streq(str(o, "format"), "elf") &&
	   streq(str(o, "symbols"), "System.map '/boot/System.map'"),
	   "dump object: report->dump in order");

	json_object_object_get_ex(top, "cpus", &cpus);
	ok(json_object_array_length(cpus) == 4, "four cpus entries");
	all = true;
	for (i = 0; i < json_object_array_length(cpus); i++)
		all &= keys_are(json_object_array_get_idx(cpus, i), cpu_keys);
	ok(all, "every cpus entry has the contract's keys, in order");

	c = json_object_array_get_idx(cpus, 0);
	ok(num(c, "cpu") == 0 && streq(str(c, "verdict"), "stopped") &&
	   streq(str(c, "path"), "ipi") && num(c, "note") == 0 &&
	   num(c, "pid") == 0, "cpu 0: cpu, verdict, path, note, pid");
	ok(streq(str(c, "pc"), "0xffff800080012345") &&
	   streq(str(c, "sp"), "0xffff800082003e50") &&
	   streq(str(c, "lr"), "0xffff800080012300") &&
	   streq(str(c, "pstate"), "0x60000005") &&
	   streq(str(c, "pc_sym"), "default_idle_call+0x38") &&
	   streq(str(c, "mode"), "EL1h") && streq(str(c, "daif"), "----"),
	   "cpu 0: registers as hex strings, pc_sym, mode, daif");
	json_object_object_get_ex(c, "evidence", &ev);
	o = json_object_array_get_idx(ev, 0);
	ok(json_object_array_length(ev) == 2 &&
	   streq(str(o, "key"), "irq_regs") &&
	   streq(str(o, "value"), "0x1234 = note") &&
	   streq(str(json_object_array_get_idx(ev, 1), "key"), "online"),
	   "cpu 0: evidence as {key, value} in order");

	c = json_object_array_get_idx(cpus, 1);
	ok(streq(str(c, "verdict"), "panic") &&
	   streq(str(c, "path"), "panic") && num(c, "pid") == 261 &&
	   is_null(c, "pc_sym") && streq(str(c, "daif"), "DAIF"),
	   "cpu 1: panic, pc_sym null, DAIF set");

	c = json_object_array_get_idx(cpus, 2);
	ok(streq(str(c, "verdict"), "missing") && is_null(c, "path") &&
	   is_null(c, "note") && is_null(c, "pid") && is_null(c, "pc") &&
	   is_null(c, "mode") && is_null(c, "daif"),
	   "cpu 2: missing, path/note/registers null");

	c = json_object_array_get_idx(cpus, 3);
	json_object_object_get_ex(c, "evidence", &ev);
	ok(is_null(c, "cpu") && num(c, "note") == 3 &&
	   streq(str(c, "verdict"), "stale") &&
	   streq(str(c, "mode"), "EL0t"),
	   "unmapped note: cpu null, note 3");
	ok(streq(str(json_object_array_get_idx(ev, 0), "value"), EVIL),
	   "quotes, newline, tab, backslash survive the round trip");

	json_object_object_get_ex(top, "findings", &o);
	ok(json_object_array_length(o) == 1 &&
	   streq(str(json_object_array_get_idx(o, 0), "key"), "log"),
	   "findings array");
	json_object_object_get_ex(top, "sources", &o);
	ok(json_object_array_length(o) == 1 &&
	   streq(str(json_object_array_get_idx(o, 0), "value"),
		 "symbol 0xffff800009a32f38 (System.map)"),
	   "sources array with verbose");

	json_object_object_get_ex(top, "summary", &sum);
	ok(keys_are(sum, summary_keys) && num(sum, "panic") == 1 &&
	   num(sum, "stopped") == 1 && num(sum, "offline") == 0 &&
	   num(sum, "missing") == 1 && num(sum, "stale") == 1 &&
	   num(sum, "unknown") == 0 && num(sum, "cpus") == 4 && num(sum, "absent") == 0 &&
	   num(sum, "exit") == 1,
	   "summary: count per verdict, cpus, exit");
	json_object_put(top);
out:
	free(out);
	free(out_pretty);
	free(quiet);
}

static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && (p[len] == '\n'))
			return true;
		p++;
	}
	return false;
}

static void test_text(const struct sdei_report *r)
{
	struct print_args a = { .r = r, .verbose = true };
	char *out = capture(do_text, &a), *quiet;
	int before = nr_failed;

	a.verbose = false;
	quiet = capture(do_text, &a);
	ok(has_line(out, "format:  elf") &&
	   has_line(out, "path:    /var/crash/vmcore") &&
	   has_line(out, "symbols: System.map '/boot/System.map'"),
	   "text: dump header block, values aligned");
	ok(has_line(out, "CPU  NOTE  VERDICT  PATH   PID  PC                      SP                  PSTATE"),
	   "text: column header");
	ok(has_line(out, "0    0     stopped  ipi    0    default_idle_call+0x38  0xffff800082003e50  EL1h ----") &&
	   has_line(out, "1    1     panic    panic  261  0xffff8000801a0178      0xffff800082bf3c40  EL1h DAIF") &&
	   has_line(out, "2    -     missing  -      -    -                       -                   -") &&
	   has_line(out, "-    3     stale    -      7    0x0                     0x0                 EL0t ----"),
	   "text: one line per CPU");
	ok(has_line(out, "    irq_regs: 0x1234 = note") &&
	   has_line(out, "    online: no") &&
	   has_line(out, "    crash_notes: all zero"),
	   "text: evidence indented under its CPU");
	ok(has_line(out, "    quote: say \"hi\"") &&
	   has_line(out, "           \\x09back\\slash </testcase> & 'q'"),
	   "text: a newline in a value continues under it; controls escaped");
	ok(has_line(out, "findings:") &&
	   has_line(out, "    log: SMP: failed to stop secondary CPUs 2"),
	   "text: findings");
	ok(has_line(out, "sources:") && !strstr(quiet, "sources:"),
	   "text: sources only with verbose");
	ok(has_line(out, "summary: 4 cpus: 1 panic, 1 stopped, 1 missing, 1 stale; exit status 1"),
	   "text: summary line");
	ok(strstr(out, "irq_regs") < strstr(out, "panic_cpu") &&
	   strstr(out, "panic_cpu") < strstr(out, "findings:") &&
	   strstr(out, "findings:") < strstr(out, "sources:") &&
	   strstr(out, "sources:") < strstr(out, "summary:"),
	   "text: same order as JSON");
	if (nr_failed > before)
		diag("text output", out);
	free(out);
	free(quiet);
}

static void test_junit(const struct sdei_report *r)
{
	struct sdei_policy lenient = {
		.allow_missing = 1,
		.allow_offline = true,
	};
	struct print_args a = { .r = r };
	char *out = capture(do_junit, &a), *lax;
	int before = nr_failed;

	a.policy = &lenient;
	lax = capture(do_junit, &a);
	ok(!strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) &&
	   strstr(out, "<testsuites name=\"sdei-vmcore\" tests=\"4\" failures=\"2\""),
	   "junit: header, 4 tests, 2 failures (missing, stale)");
	ok(strstr(out, "name=\"sdei-vmcore check /var/crash/vmcore\"") &&
	   strstr(out, "<testcase classname=\"sdei-vmcore\" name=\"cpu 0\">") &&
	   strstr(out, "<testcase classname=\"sdei-vmcore\" name=\"note 3\">"),
	   "junit: testsuite named by the dump, testcase per CPU");
	ok(strstr(out, "<failure type=\"missing\" message=\"cpu 2: missing\">crash_notes: all zero\n</failure>") != NULL,
	   "junit: missing CPU fails with its evidence");
	ok(strstr(out, "quote: say &quot;hi&quot;&#10;&#9;back\\slash &lt;/testcase&gt; &amp; &apos;q&apos;\n") != NULL &&
	   !strstr(out, "</testcase> &"),
	   "junit: evidence XML-escaped");
	ok(strstr(lax, "failures=\"1\"") &&
	   !strstr(lax, "<failure type=\"missing\""),
	   "junit: --allow-missing 1 passes the missing CPU");
	ok(strstr(out, "<property name=\"release\" value=\"6.12.0-test\"/>") != NULL,
	   "junit: dump facts as properties");
	if (nr_failed > before)
		diag("junit output", out);
	free(out);
	free(lax);
}

static struct sdei_report *verdicts(const enum sdei_verdict *v, size_t n)
{
	struct sdei_report *r = sdei_report_create();
	struct sdei_cpu_report *c;
	size_t i;

	for (i = 0; i < n; i++) {
		check(sdei_report_add_cpu(r, (int)i, &c));
		c->verdict = v[i];
	}
	sdei_report_finish(r);
	return r;
}

static void test_policy(void)
{
	static const enum sdei_verdict good[] = {
		SDEI_VERDICT_PANIC, SDEI_VERDICT_STOPPED, SDEI_VERDICT_OFFLINE,
	};
	static const enum sdei_verdict two_missing[] = {
		SDEI_VERDICT_PANIC, SDEI_VERDICT_MISSING, SDEI_VERDICT_MISSING,
	};
	static const enum sdei_verdict unknown[] = {
		SDEI_VERDICT_PANIC, SDEI_VERDICT_UNKNOWN,
	};
	static const enum sdei_verdict stale[] = {
		SDEI_VERDICT_PANIC, SDEI_VERDICT_STALE,
	};
	struct sdei_policy p = { .allow_offline = true };
	struct sdei_report *r;

	r = verdicts(good, ARRAY_SIZE(good));
	ok(sdei_report_exit_status(r, NULL) == SDEI_EXIT_OK,
	   "policy: panic, stopped, offline exit 0");
	p.allow_offline = false;
	ok(sdei_report_exit_status(r, &p) == SDEI_EXIT_FINDINGS,
	   "policy: offline rejected when not allowed");
	p.allow_offline = true;
	sdei_report_destroy(r);

	r = verdicts(two_missing, ARRAY_SIZE(two_missing));
	p.allow_missing = 1;
	ok(sdei_report_exit_status(r, NULL) == SDEI_EXIT_FINDINGS &&
	   sdei_report_exit_status(r, &p) == SDEI_EXIT_FINDINGS,
	   "policy: two missing exceed --allow-missing 1");
	p.allow_missing = 2;
	ok(sdei_report_exit_status(r, &p) == SDEI_EXIT_OK,
	   "policy: two missing pass --allow-missing 2");
	p.allow_missing = 0;
	sdei_report_destroy(r);

	r = verdicts(unknown, ARRAY_SIZE(unknown));
	ok(sdei_report_exit_status(r, NULL) == SDEI_EXIT_FINDINGS,
	   "policy: unknown is a finding by default");
	p.allow_unknown = true;
	ok(sdei_report_exit_status(r, &p) == SDEI_EXIT_OK,
	   "policy: --allow-unknown");
	sdei_report_destroy(r);

	r = verdicts(stale, ARRAY_SIZE(stale));
	ok(sdei_report_exit_status(r, &p) == SDEI_EXIT_FINDINGS,
	   "policy: stale is always a finding");
	sdei_report_destroy(r);

	r = verdicts(NULL, 0);
	ok(sdei_report_exit_status(r, NULL) == SDEI_EXIT_OK,
	   "policy: an empty report exits 0");
	sdei_report_destroy(r);

	/* CPUs 0-2 in the report; --expect 1,5-7,70=stopped */
	{
		uint64_t map[2] = { 1u << 1 | 7u << 5, 1u << 6 };
		struct sdei_expect e = {
			.cpus = map, .nr_bits = 128,
			.verdict = SDEI_VERDICT_STOPPED,
		};
		char buf[16];

		r = verdicts(good, ARRAY_SIZE(good));
		p.expect = &e;
		p.nr_expect = 1;
		ok(sdei_report_expect_absent(r, &p, buf, sizeof(buf)) == 4 &&
		   !strcmp(buf, "5-7,70"),
		   "policy: --expect names CPUs 5-7,70 the report lacks (got '%s')",
		   buf);
		ok(sdei_report_exit_status(r, &p) == SDEI_EXIT_FINDINGS,
		   "policy: an expectation about an absent CPU fails");
		ok(sdei_report_expect_absent(r, &p, buf, 8) == 4 &&
		   !strcmp(buf, "5-7..."),
		   "policy: a list too long for the buffer ends in ... (got '%s')",
		   buf);
		map[0] = 1u << 1;
		map[1] = 0;
		ok(sdei_report_expect_absent(r, &p, buf, sizeof(buf)) == 0 &&
		   !buf[0] && sdei_report_exit_status(r, &p) == SDEI_EXIT_OK,
		   "policy: an expectation met by CPU 1 exits 0");
		r->nr_absent = 1;
		ok(sdei_report_exit_status(r, &p) == SDEI_EXIT_FINDINGS,
		   "policy: a --cpu CPU the dump lacks fails");
		p.expect = NULL;
		p.nr_expect = 0;
		sdei_report_destroy(r);
	}
}

static void test_hostile_strings(void)
{
	struct sdei_report *r = sdei_report_create();
	struct print_args a = { .r = r };
	struct sdei_cpu_report *c;
	struct json_object *top;
	char *json, *text;

	check(sdei_facts_add(&r->dump, "release", "%s", "6.1\xff\x1b[31mred"));
	check(sdei_report_add_cpu(r, 0, &c));
	c->has_regs = true;
	c->pc_sym = strdup("sym\x1b]0;x\x07+0x10");
	sdei_report_finish(r);

	json = capture(do_json, &a);
	top = json_tokener_parse(json);
	ok(top && strstr(json, "6.1\xef\xbf\xbd\\u001b[31mred"),
	   "json: invalid UTF-8 replaced, controls escaped");
	json_object_put(top);
	text = capture(do_text, &a);
	ok(!strchr(text, '\x1b') && !strchr(text, '\x07') &&
	   strstr(text, "6.1\\xff\\x1b[31mred") &&
	   strstr(text, "sym\\x1b]0;x\\x07+0x10"),
	   "text: no terminal control reaches the output");
	free(json);
	free(text);
	sdei_report_destroy(r);
}

static void test_json_error(void)
{
	struct json_object *top;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	sdei_print_json_error(f, "'x': not an \"ELF\" file", false);
	fclose(f);
	top = json_tokener_parse(buf);
	ok(top && json_object_object_length(top) == 1 &&
	   streq(str(top, "error"), "'x': not an \"ELF\" file"),
	   "sdei_print_json_error(): {\"error\": ...}");
	json_object_put(top);
	free(buf);
}

int main(void)
{
	struct sdei_report *r = build_report();

	test_names();
	test_model(r);
	test_json(r);
	test_text(r);
	test_junit(r);
	test_policy();
	test_hostile_strings();
	test_json_error();
	sdei_report_destroy(r);
	sdei_report_destroy(NULL);
	printf("1..%d\n", nr_tests);
	return nr_failed ? 1 : 0;
}
