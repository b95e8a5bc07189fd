// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JUnit XML for CI systems (--junit FILE): one testcase per CPU, failed
 * when the policy rejects its verdict (the same rule as the exit status),
 * with the evidence as the failure's text.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "print-common.h"

/*
 * XML 1.0 allows no C0 control but tab, newline and carriage return, and
 * no invalid UTF-8: such bytes become "\xNN" text rather than a document
 * that CI systems refuse.
 */
static void xml_escape(FILE *f, const char *s)
{
	while (*s) {
		const unsigned char c = (unsigned char)*s;
		size_t len = sdei_utf8_len(s);

		switch (c) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		case '\t':
		case '\n':
		case '\r':
			/* in attributes they would be normalised to spaces */
			fprintf(f, "&#%u;", c);
			break;
		default:
			if (!len || c < 0x20 || c == 0x7f) {
				fprintf(f, "\\x%02x", c);
				len = 1;
			} else {
				fwrite(s, 1, len, f);
			}
			break;
		}
		s += len ? len : 1;
	}
}

static void print_facts(FILE *f, const struct sdei_facts *facts)
{
	size_t i;

	for (i = 0; i < facts->nr; i++) {
		xml_escape(f, facts->v[i].key);
		fputs(": ", f);
		xml_escape(f, facts->v[i].value);
		fputc('\n', f);
	}
}

static const char *dump_fact(const struct sdei_report *report,
			     const char *key)
{
	size_t i;

	for (i = 0; i < report->dump.nr; i++)
		if (!strcmp(report->dump.v[i].key, key))
			return report->dump.v[i].value;
	return NULL;
}

static void print_testcase(FILE *f, const struct sdei_report *report,
			   const struct sdei_cpu_report *c,
			   const struct sdei_policy *policy)
{
	const char *verdict = sdei_verdict_name(c->verdict);
	const char *path = sdei_path_name(c->path);
	char name[32];

	/* a note that maps to no CPU is named by its index */
	if (c->cpu >= 0)
		snprintf(name, sizeof(name), "cpu %d", c->cpu);
	else if (c->note >= 0)
		snprintf(name, sizeof(name), "note %d", c->note);
	else
		snprintf(name, sizeof(name), "cpu ?");
	fprintf(f, "    <testcase classname=\"sdei-vmcore\" name=\"%s\">\n",
		name);
	if (sdei_report_cpu_rejected(report, c, policy)) {
		fprintf(f, "      <failure type=\"%s\" message=\"%s: %s\">",
			verdict, name, verdict);
		print_facts(f, &c->evidence);
		fputs("</failure>\n", f);
	} else {
		fputs("      <system-out>", f);
		fprintf(f, "verdict: %s\n", verdict);
		if (path)
			fprintf(f, "path: %s\n", path);
		print_facts(f, &c->evidence);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

void sdei_report_print_junit(FILE *f, const struct sdei_report *report,
			     const struct sdei_policy *policy)
{
	const char *path = dump_fact(report, "path");
	size_t failures = 0, tests = report->nr_cpus, i, expect_absent;
	char list[256];

	for (i = 0; i < report->nr_cpus; i++)
		if (sdei_report_cpu_rejected(report, &report->cpus[i], policy))
			failures++;
	/* CPUs asked about that the report lacks: one failed test case */
	expect_absent = sdei_report_expect_absent(report, policy, list,
						  sizeof(list));
	if (report->nr_absent || expect_absent) {
		tests++;
		failures++;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"sdei-vmcore\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		tests, failures);
	fputs("  <testsuite name=\"", f);
	if (path) {
		fputs("sdei-vmcore check ", f);
		xml_escape(f, path);
	} else {
		fputs("sdei-vmcore check", f);
	}
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
		tests, failures);
	if (report->dump.nr) {
		fputs("    <properties>\n", f);
		for (i = 0; i < report->dump.nr; i++) {
			fputs("      <property name=\"", f);
			xml_escape(f, report->dump.v[i].key);
			fputs("\" value=\"", f);
			xml_escape(f, report->dump.v[i].value);
			fputs("\"/>\n", f);
		}
		fputs("    </properties>\n", f);
	}
	for (i = 0; i < report->nr_cpus; i++)
		print_testcase(f, report, &report->cpus[i], policy);
	if (report->nr_absent || expect_absent) {
		fputs("    <testcase classname=\"sdei-vmcore\" name=\"cpus asked for\">\n", f);
		fputs("      <failure type=\"absent\" message=\"", f);
		if (expect_absent) {
			fputs("--expect names CPUs the report lacks: ", f);
			xml_escape(f, list);
		} else {
			fputs("--cpu names CPUs the report lacks", f);
		}
		fputs("\"/>\n    </testcase>\n", f);
	}
	if (report->findings.nr) {
		fputs("    <system-out>findings:\n", f);
		print_facts(f, &report->findings);
		fputs("</system-out>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
}
