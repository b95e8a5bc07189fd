// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report for people. Same facts, same order as print-json.c
 * (bpftool's print_prog_plain()/print_prog_json() habit): the dump, one
 * line per CPU with its evidence under it, findings, sources (verbose),
 * summary.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "print-common.h"

#define EVIDENCE_INDENT "    "

/*
 * Strings from the dump reach a terminal: control bytes, C1 controls and
 * invalid UTF-8 are shown as \xNN so they cannot move the cursor or
 * change colours. A newline becomes @newline: a continuation line under
 * the value for evidence, "\n" escaped inside a table cell.
 */
static char *text_escape(const char *s, const char *newline)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	while (*s) {
		const unsigned char c = (unsigned char)*s;
		size_t len = sdei_utf8_len(s);

		if (c == '\n') {
			fputs(newline, f);
		} else if (!len || c < 0x20 || c == 0x7f ||
			   (c == 0xc2 && (unsigned char)s[1] < 0xa0)) {
			/* invalid or a control: escape the first byte only */
			fprintf(f, "\\x%02x", c);
			len = 1;
		} else {
			fwrite(s, 1, len, f);
		}
		s += len ? len : 1;
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void print_escaped(FILE *f, const char *s, const char *newline)
{
	char *e = text_escape(s, newline);

	fputs(e ? e : "(out of memory)", f);
	free(e);
}

static size_t max_key_len(const struct sdei_facts *facts)
{
	size_t i, max = 0;

	for (i = 0; i < facts->nr; i++) {
		size_t len = strlen(facts->v[i].key);

		if (len > max)
			max = len;
	}
	return max;
}

/* "key: value" lines, values aligned when @align */
static void print_facts(FILE *f, const struct sdei_facts *facts,
			const char *indent, bool align)
{
	size_t width = align ? max_key_len(facts) : 0, i;

	for (i = 0; i < facts->nr; i++) {
		const struct sdei_fact *fact = &facts->v[i];
		size_t key_len = strlen(fact->key);
		int pad = (int)(width > key_len ? width - key_len : 0);
		char *newline;

		/* continuation lines of a value start under the value */
		if (asprintf(&newline, "\n%s%*s", indent,
			     (int)(key_len + (size_t)pad + 2), "") < 0)
			newline = NULL;
		fputs(indent, f);
		print_escaped(f, fact->key, "\\n");
		fprintf(f, ":%*s ", pad, "");
		print_escaped(f, fact->value, newline ? newline : "\\n");
		fputc('\n', f);
		free(newline);
	}
}

enum column {
	COL_CPU,
	COL_NOTE,
	COL_VERDICT,
	COL_PATH,
	COL_PID,
	COL_PC,
	COL_SP,
	COL_PSTATE,
	NR_COLUMNS,
};

static const char *const column_names[NR_COLUMNS] = {
	"CPU", "NOTE", "VERDICT", "PATH", "PID", "PC", "SP", "PSTATE",
};

/* The cells of one CPU line; "-" where there is nothing to say. */
static void cpu_cells(const struct sdei_cpu_report *c,
		      char cells[NR_COLUMNS][160])
{
	const char *path = sdei_path_name(c->path);
	char mode[32], daif[16];
	char *sym;
	int i;

	for (i = 0; i < NR_COLUMNS; i++)
		strcpy(cells[i], "-");
	if (c->cpu >= 0)
		snprintf(cells[COL_CPU], sizeof(cells[0]), "%d", c->cpu);
	if (c->note >= 0)
		snprintf(cells[COL_NOTE], sizeof(cells[0]), "%d", c->note);
	snprintf(cells[COL_VERDICT], sizeof(cells[0]), "%s",
		 sdei_verdict_name(c->verdict));
	if (path)
		snprintf(cells[COL_PATH], sizeof(cells[0]), "%s", path);
	if (!c->has_regs)
		return;
	snprintf(cells[COL_PID], sizeof(cells[0]), "%" PRId32, c->pid);
	sym = c->pc_sym ? text_escape(c->pc_sym, "\\n") : NULL;
	if (sym)
		snprintf(cells[COL_PC], sizeof(cells[0]), "%s", sym);
	else
		snprintf(cells[COL_PC], sizeof(cells[0]), "0x%" PRIx64,
			 c->regs[SDEI_REG_PC]);
	free(sym);
	snprintf(cells[COL_SP], sizeof(cells[0]), "0x%" PRIx64,
		 c->regs[SDEI_REG_SP]);
	sdei_print_pstate(c->regs[SDEI_REG_PSTATE], mode, sizeof(mode), daif,
			  sizeof(daif));
	snprintf(cells[COL_PSTATE], sizeof(cells[0]), "%s %s", mode, daif);
}

static void print_row(FILE *f, char cells[NR_COLUMNS][160],
		      const size_t width[NR_COLUMNS])
{
	int i;

	for (i = 0; i < NR_COLUMNS - 1; i++)
		fprintf(f, "%-*s  ", (int)width[i], cells[i]);
	fprintf(f, "%s\n", cells[NR_COLUMNS - 1]);
}

static void print_cpus(FILE *f, const struct sdei_report *report)
{
	char cells[NR_COLUMNS][160];
	size_t width[NR_COLUMNS], i;
	int col;

	for (col = 0; col < NR_COLUMNS; col++)
		width[col] = strlen(column_names[col]);
	for (i = 0; i < report->nr_cpus; i++) {
		cpu_cells(&report->cpus[i], cells);
		for (col = 0; col < NR_COLUMNS; col++)
			if (strlen(cells[col]) > width[col])
				width[col] = strlen(cells[col]);
	}
	for (col = 0; col < NR_COLUMNS; col++)
		snprintf(cells[col], sizeof(cells[0]), "%s",
			 column_names[col]);
	print_row(f, cells, width);
	for (i = 0; i < report->nr_cpus; i++) {
		cpu_cells(&report->cpus[i], cells);
		print_row(f, cells, width);
		print_facts(f, &report->cpus[i].evidence, EVIDENCE_INDENT,
			    false);
	}
}

static void print_summary(FILE *f, const struct sdei_report *report,
			  const struct sdei_policy *policy)
{
	size_t counts[SDEI_NR_VERDICTS];
	const char *sep = ": ";
	char list[96];
	int v;

	sdei_print_counts(report, counts);
	fprintf(f, "summary: %zu cpu%s", report->nr_cpus,
		report->nr_cpus == 1 ? "" : "s");
	for (v = 0; v < SDEI_NR_VERDICTS; v++) {
		if (!counts[v])
			continue;
		fprintf(f, "%s%zu %s", sep, counts[v],
			sdei_verdict_name(v));
		sep = ", ";
	}
	if (sdei_report_expect_absent(report, policy, list, sizeof(list)))
		fprintf(f, "; --expect names CPUs the report lacks: %s", list);
	fprintf(f, "; exit status %d\n",
		sdei_report_exit_status(report, policy));
}

void sdei_report_print_text(FILE *f, const struct sdei_report *report,
			    bool verbose, const struct sdei_policy *policy)
{
	if (report->dump.nr) {
		print_facts(f, &report->dump, "", true);
		fputc('\n', f);
	}
	print_cpus(f, report);
	if (report->findings.nr) {
		fputs("\nfindings:\n", f);
		print_facts(f, &report->findings, EVIDENCE_INDENT, false);
	}
	if (verbose && report->sources.nr) {
		fputs("\nsources:\n", f);
		print_facts(f, &report->sources, EVIDENCE_INDENT, false);
	}
	fputc('\n', f);
	print_summary(f, report, policy);
}
