// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdei-vmcore check: parse the options, run the analysis contained in a
 * child (contain.c), print its result. Results on stdout, diagnostics on
 * stderr; in JSON mode errors are {"error": …} on stdout (bpftool's
 * p_err()).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdei-vmcore.h"
#include "internal.h"
#include "print-common.h"
#include "cli.h"

#define DEFAULT_TIMEOUT 120
/* CONFIG_NR_CPUS is at most 4096 on arm64; leave room, bound the bitmap */
#define MAX_CPU_LIST 65536

struct check_args {
	const char *vmcore;
	struct sdei_options opts;
	struct sdei_policy policy;
	bool json;
	bool pretty;
	bool verbose;
	const char *junit;
	uint64_t *cpu_list;
	struct sdei_expect *expect;	/* --expect, policy.expect */
};

void print_check_help(void)
{
	printf("usage: %s check [options] VMCORE\n"
	       "\n"
	       "Say, for every CPU of a crashed arm64 machine, which path stopped it\n"
	       "(ipi, pseudo-nmi, sdei, self-stop, panic) or that it is offline,\n"
	       "missing, stale or unknown, with the evidence.\n"
	       "\n"
	       "symbols:\n"
	       "  --vmlinux FILE       ELF symbol table of the crashed kernel\n"
	       "  --system-map FILE    its System.map (not with --vmlinux)\n"
	       "  --no-symbols         use none: judge from the notes alone\n"
	       "  --no-discover        do not look for symbols by the dump's release\n"
	       "                       and build-id (/usr/lib/debug, /boot, kallsyms)\n"
	       "selection and policy:\n"
	       "  --cpu LIST           only these CPUs, e.g. 0-3,7\n"
	       "  --allow-missing N    up to N missing CPUs still exit 0\n"
	       "  --allow-unknown      unknown verdicts are not findings\n"
	       "  --expect LIST=WORD   these CPUs must be WORD: a verdict (panic,\n"
	       "                       stopped, offline, missing, stale, unknown)\n"
	       "                       or a stop path (ipi, pseudo-nmi, sdei,\n"
	       "                       self-stop); repeatable, e.g. --expect 2=sdei\n"
	       "output:\n"
	       "  -j, --json           JSON on stdout\n"
	       "  -p, --pretty         indented JSON (implies --json)\n"
	       "  -v, --verbose        also say where each fact came from\n"
	       "  --junit FILE         also write JUnit XML, one testcase per CPU\n"
	       "  -h, --help           this text\n"
	       "  --version            the version\n"
	       "\n"
	       "exit status: 0 every CPU accounted for, 1 findings, 2 the dump could\n"
	       "not be analysed, 64 usage error. See sdei-vmcore(1).\n",
	       PROG);
}

/* "0-3,7" into a bitmap; anything else is a usage error */
static uint64_t *parse_cpu_list(const char *s, size_t *bits_ret)
{
	unsigned long first, last, max = 0, i;
	const char *p = s;
	uint64_t *map;
	char *end;

	/* first pass: syntax and the highest CPU, so the bitmap fits */
	for (;;) {
		if (*p < '0' || *p > '9')
			goto bad;
		errno = 0;
		first = last = strtoul(p, &end, 10);
		if (errno || first >= MAX_CPU_LIST)
			goto bad;
		p = end;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				goto bad;
			last = strtoul(p, &end, 10);
			if (errno || last >= MAX_CPU_LIST || last < first)
				goto bad;
			p = end;
		}
		if (last > max)
			max = last;
		if (!*p)
			break;
		if (*p++ != ',')
			goto bad;
	}
	*bits_ret = (max / 64 + 1) * 64;
	map = calloc(max / 64 + 1, sizeof(*map));
	if (!map) {
		fprintf(stderr, "%s: error: out of memory\n", PROG);
		exit(SDEI_EXIT_ERROR);
	}
	for (p = s; *p; p += *p == ',') {
		first = last = strtoul(p, &end, 10);
		p = end;
		if (*p == '-')
			last = strtoul(p + 1, &end, 10);
		p = end;
		for (i = first; i <= last; i++)
			map[i / 64] |= UINT64_C(1) << (i % 64);
	}
	return map;
bad:
	usage_error("check", "invalid CPU list '%s' (expected e.g. 0-3,7)", s);
}

/* --expect LIST=WORD, appended to the policy */
static void parse_expect(struct check_args *a, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	struct sdei_expect e = { 0 }, *v;
	char *list;

	if (!eq || eq == arg)
		usage_error("check", "invalid --expect '%s' (expected e.g. 2=sdei)",
			    arg);
	if (!sdei_expect_parse_word(eq + 1, &e))
		usage_error("check",
			    "invalid --expect '%s': '%s' is neither a verdict nor a stop path",
			    arg, eq + 1);
	list = strndup(arg, (size_t)(eq - arg));
	v = realloc(a->expect, (a->policy.nr_expect + 1) * sizeof(*v));
	if (!list || !v) {
		fprintf(stderr, "%s: error: out of memory\n", PROG);
		exit(SDEI_EXIT_ERROR);
	}
	e.cpus = parse_cpu_list(list, &e.nr_bits);
	free(list);
	a->expect = v;
	a->expect[a->policy.nr_expect++] = e;
	a->policy.expect = a->expect;
}

static unsigned int parse_count(const char *opt, const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v > UINT_MAX)
		usage_error("check", "invalid number '%s' for %s", s, opt);
	return (unsigned int)v;
}

static unsigned int timeout_from_env(void)
{
	const char *s = getenv("SDEI_VMCORE_TIMEOUT");
	unsigned long v;
	char *end;

	if (!s || !*s)
		return DEFAULT_TIMEOUT;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v > 86400)
		usage_error("check", "invalid SDEI_VMCORE_TIMEOUT '%s' (seconds, 0 = none)",
			    s);
	return (unsigned int)v;
}

static char *memstream_done(FILE *f, char **buf)
{
	if (fclose(f)) {
		free(*buf);
		*buf = NULL;
		return NULL;
	}
	return *buf;
}

static void set_error(struct cli_result *res, struct sdei_error *err)
{
	res->error = strdup(err->message ? err->message : "out of memory");
	res->status = SDEI_EXIT_ERROR;
	sdei_error_destroy(err);
}

/*
 * TEMPORARY: the library has no accessor for the dump's path, and
 * DESIGN.md §4 wants it among the dump facts ("format", "path", …). Once
 * sdei_check() records it, this goes away.
 */
static struct sdei_error *add_path_fact(struct sdei_report *r,
					const char *path)
{
	struct sdei_facts *d = &r->dump;
	struct sdei_fact fact;
	struct sdei_error *err;
	size_t i, pos;

	for (i = 0; i < d->nr; i++)
		if (!strcmp(d->v[i].key, "path"))
			return NULL;
	err = sdei_facts_add(d, "path", "%s", path);
	if (err)
		return err;
	pos = d->nr > 1 && !strcmp(d->v[0].key, "format") ? 1 : 0;
	fact = d->v[d->nr - 1];
	memmove(&d->v[pos + 1], &d->v[pos],
		(d->nr - 1 - pos) * sizeof(d->v[0]));
	d->v[pos] = fact;
	return NULL;
}

/* The contained part: open, analyse, print into memory. */
static void run_check(void *arg, struct cli_result *res)
{
	struct check_args *a = arg;
	struct sdei_report *report = NULL;
	struct sdei_dump *dump = NULL;
	struct sdei_error *err;
	FILE *f;

	err = sdei_dump_open(a->vmcore, &dump);
	if (err) {
		set_error(res, err);
		return;
	}
	err = sdei_check(dump, &a->opts, &report);
	if (err) {
		set_error(res, err);
		goto out_close;
	}
	if (add_path_fact(report, a->vmcore))
		goto nomem;

	f = open_memstream(&res->out, &res->out_len);
	if (!f)
		goto nomem;
	if (a->json)
		sdei_report_print_json(f, report, a->pretty, a->verbose,
					      &a->policy);
	else
		sdei_report_print_text(f, report, a->verbose,
					      &a->policy);
	if (!memstream_done(f, &res->out))
		goto nomem;
	if (a->junit) {
		f = open_memstream(&res->junit, &res->junit_len);
		if (!f)
			goto nomem;
		sdei_report_print_junit(f, report, &a->policy);
		if (!memstream_done(f, &res->junit))
			goto nomem;
	}
	res->status = sdei_report_exit_status(report, &a->policy);
	goto out_report;
nomem:
	free(res->out);
	res->out = NULL;
	free(res->junit);
	res->junit = NULL;
	/* NULL here too is handled by cli_contain() as out-of-memory */
	res->error = strdup("out of memory");
	res->status = SDEI_EXIT_ERROR;
out_report:
	sdei_report_destroy(report);
out_close:
	sdei_dump_close(dump);
}

static void print_error(const struct check_args *a, const char *message)
{
	if (!message)
		message = "out of memory";
	if (a->json) {
		sdei_print_json_error(stdout, message, a->pretty);
		fflush(stdout);
	} else {
		fprintf(stderr, "%s: error: %s\n", PROG, message);
	}
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else if ((unsigned char)*s < 0x20 && *s != '\t')
			fputc('?', f);
		else
			fputc(*s, f);
	}
}

/*
 * A CI job that reads the JUnit file must see why the dump could not be
 * analysed, not a missing file: one testcase in error.
 */
static int write_junit_error(const char *path, const char *vmcore,
			     const char *message)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<testsuites name=\"sdei-vmcore\" tests=\"1\" failures=\"0\" errors=\"1\">\n"
	      "  <testsuite name=\"sdei-vmcore check ", f);
	xml_text(f, vmcore);
	fputs("\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
	      "    <testcase classname=\"sdei-vmcore\" name=\"analysis\">\n"
	      "      <error type=\"error\" message=\"", f);
	xml_text(f, message ? message : "out of memory");
	fputs("\"/>\n    </testcase>\n  </testsuite>\n</testsuites>\n", f);
	return fclose(f) ? -1 : 0;
}

static int write_file(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	if (fwrite(buf, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f) ? -1 : 0;
}

static int finish(const struct check_args *a, struct cli_result *res,
		  bool failed, char *err)
{
	int status;

	if (failed || err || res->error || !res->out) {
		const char *m = err ? err : res->error;

		print_error(a, m);
		if (a->junit && write_junit_error(a->junit, a->vmcore, m))
			fprintf(stderr, "%s: error: cannot write '%s': %s\n",
				PROG, a->junit, strerror(errno));
		status = SDEI_EXIT_ERROR;
		goto out;
	}
	/* the JUnit file first: if it cannot be written, print no report */
	if (a->junit && write_file(a->junit, res->junit, res->junit_len)) {
		char *m;

		if (asprintf(&m, "cannot write '%s': %s", a->junit,
			     strerror(errno)) < 0)
			m = NULL;
		print_error(a, m);
		free(m);
		status = SDEI_EXIT_ERROR;
		goto out;
	}
	status = res->status;
	if (fwrite(res->out, 1, res->out_len, stdout) != res->out_len ||
	    fflush(stdout)) {
		fprintf(stderr, "%s: error: cannot write to standard output: %s\n",
			PROG, strerror(errno));
		status = SDEI_EXIT_ERROR;
	}
out:
	free(err);
	cli_result_deinit(res);
	return status;
}

enum {
	OPT_VMLINUX = 256,
	OPT_SYSTEM_MAP,
	OPT_NO_SYMBOLS,
	OPT_NO_DISCOVER,
	OPT_CPU,
	OPT_JUNIT,
	OPT_ALLOW_MISSING,
	OPT_ALLOW_UNKNOWN,
	OPT_EXPECT,
	OPT_VERSION,
};

static const struct option long_options[] = {
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
	{ "system-map", required_argument, NULL, OPT_SYSTEM_MAP },
	{ "no-symbols", no_argument, NULL, OPT_NO_SYMBOLS },
	{ "no-discover", no_argument, NULL, OPT_NO_DISCOVER },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "allow-missing", required_argument, NULL, OPT_ALLOW_MISSING },
	{ "allow-unknown", no_argument, NULL, OPT_ALLOW_UNKNOWN },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

int do_check(int argc, char **argv)
{
	struct check_args a = {
		.opts.discover_root = "",
		.policy.allow_offline = true,
	};
	struct cli_result res;
	unsigned int timeout;
	char *err;
	int c;

	/*
	 * Our own messages (opterr = 0, ':' for a missing argument); GNU
	 * permutation lets "check VMCORE -j" work too.
	 */
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":jpvh", long_options,
				NULL)) != -1) {
		switch (c) {
		case OPT_VMLINUX:
			a.opts.vmlinux = optarg;
			break;
		case OPT_SYSTEM_MAP:
			a.opts.system_map = optarg;
			break;
		case OPT_NO_SYMBOLS:
			a.opts.no_symbols = true;
			break;
		case OPT_NO_DISCOVER:
			a.opts.discover_root = NULL;
			break;
		case OPT_CPU:
			free(a.cpu_list);
			a.cpu_list = parse_cpu_list(optarg,
						    &a.opts.cpu_list_bits);
			a.opts.cpu_list = a.cpu_list;
			break;
		case 'p':
			/* -p implies -j */
			a.pretty = true;
			a.json = true;
			break;
		case 'j':
			a.json = true;
			break;
		case 'v':
			a.verbose = true;
			a.opts.verbose = true;
			break;
		case OPT_JUNIT:
			a.junit = optarg;
			break;
		case OPT_ALLOW_MISSING:
			a.policy.allow_missing = parse_count("--allow-missing",
							     optarg);
			break;
		case OPT_ALLOW_UNKNOWN:
			a.policy.allow_unknown = true;
			break;
		case OPT_EXPECT:
			parse_expect(&a, optarg);
			break;
		case 'h':
			print_check_help();
			exit(SDEI_EXIT_OK);
		case OPT_VERSION:
			printf("%s %s\n", PROG, SDEI_VERSION);
			exit(SDEI_EXIT_OK);
		case ':':
			if (optopt && optopt < 256)
				usage_error("check", "option '-%c' needs an argument",
					    optopt);
			usage_error("check", "option '%s' needs an argument",
				    argv[optind - 1]);
		default:
			if (optopt)
				usage_error("check", "unknown option '-%c'",
					    optopt);
			usage_error("check", "unknown option '%s'",
				    argv[optind - 1]);
		}
	}
	if (a.opts.vmlinux && a.opts.system_map)
		usage_error("check", "--vmlinux and --system-map are mutually exclusive");
	if (a.opts.no_symbols && (a.opts.vmlinux || a.opts.system_map))
		usage_error("check", "--no-symbols cannot be combined with --%s",
			    a.opts.vmlinux ? "vmlinux" : "system-map");
	if (optind == argc)
		usage_error("check", "missing VMCORE argument");
	if (argc - optind > 1)
		usage_error("check", "too many arguments: '%s'",
			    argv[optind + 1]);
	a.vmcore = argv[optind];
	timeout = timeout_from_env();

	/* err is NULL on failure only when out of memory */
	c = cli_contain(a.vmcore, run_check, &a, timeout, &res, &err);
	c = finish(&a, &res, c != 0, err);
	for (size_t i = 0; i < a.policy.nr_expect; i++)
		free((void *)a.expect[i].cpus);
	free(a.expect);
	free(a.cpu_list);
	return c;
}
