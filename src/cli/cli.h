/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the CLI's files: commands and crash containment. */
#ifndef SDEI_CLI_H
#define SDEI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#ifndef SDEI_VERSION
#define SDEI_VERSION "0.1"
#endif

#define PROG "sdei-vmcore"

/* main.c */
void usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* check.c */
int do_check(int argc, char **argv);
void print_check_help(void);

/*
 * contain.c: what an analysis produced. Everything is held back until the
 * analysis has finished normally, so a crash prints nothing partial.
 */
struct cli_result {
	char *out;		/* for stdout */
	size_t out_len;
	char *junit;		/* for --junit FILE, or NULL */
	size_t junit_len;
	char *error;		/* one-line error (exit 2), or NULL */
	int status;		/* exit status when there is no error */
};

typedef void cli_job_fn(void *arg, struct cli_result *res);

/*
 * Runs @fn in a child process (in-process when SDEI_VMCORE_NO_FORK=1) and
 * fills @res from it. Returns 0, or -1 with *@err_ret a malloc'ed message
 * (NULL: out of memory) when the child crashed, was killed or ran past
 * @timeout seconds (0 = no limit); @res is then empty.
 */
int cli_contain(const char *what, cli_job_fn *fn, void *arg,
		unsigned int timeout, struct cli_result *res, char **err_ret);
void cli_result_deinit(struct cli_result *res);

#endif /* SDEI_CLI_H */
