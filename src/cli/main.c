// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdei-vmcore: command dispatch through a table (bpftool's main.c habit),
 * even while "check" is the only real command.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdei-vmcore.h"
#include "cli.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static int do_help(int argc, char **argv);

static const struct cmd cmds[] = {
	{ "check", do_check },
	{ "help", do_help },
	{ NULL, NULL },
};

static void print_help(void)
{
	printf("usage: %s COMMAND [options] ...\n"
	       "       %s check [options] VMCORE\n"
	       "       %s {-h|--help|--version}\n"
	       "\n"
	       "commands:\n"
	       "  check   say, per CPU of an arm64 vmcore, which path stopped it\n"
	       "          and whether its saved registers can be trusted\n"
	       "  help    this text; 'help check' for the options of check\n"
	       "\n"
	       "exit status: 0 every CPU accounted for, 1 findings, 2 the dump\n"
	       "could not be analysed, 64 usage error. See sdei-vmcore(1).\n",
	       PROG, PROG, PROG);
}

static int do_help(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "check"))
		print_check_help();
	else if (argc > 1)
		usage_error(NULL, "unknown command '%s'", argv[1]);
	else
		print_help();
	return SDEI_EXIT_OK;
}

void usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s%s%s --help' for more information.\n",
		PROG, cmd ? " " : "", cmd ? cmd : "");
	exit(SDEI_EXIT_USAGE);
}

/* An exact name or an unambiguous prefix ("ch" for "check"). */
static const struct cmd *cmd_select(const char *name)
{
	const struct cmd *found = NULL, *c;

	for (c = cmds; c->name; c++) {
		if (!strcmp(c->name, name))
			return c;
		if (!strncmp(c->name, name, strlen(name))) {
			if (found)
				usage_error(NULL, "ambiguous command '%s'",
					    name);
			found = c;
		}
	}
	return found;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd;

	if (argc < 2)
		usage_error(NULL, "missing command (try 'check')");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		print_help();
		return SDEI_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("%s %s\n", PROG, SDEI_VERSION);
		return SDEI_EXIT_OK;
	}
	if (argv[1][0] == '-')
		usage_error(NULL, "unknown option '%s' (options go after the command)",
			    argv[1]);
	cmd = cmd_select(argv[1]);
	if (!cmd)
		usage_error(NULL, "unknown command '%s'", argv[1]);
	return cmd->fn(argc - 1, argv + 1);
}
