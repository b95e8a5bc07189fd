// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sdei_check(): the analysis over a dump file read with libkdumpfile and
 * symbols from files or kallsyms. Kept apart from analyze.c so that the
 * crash extension links the analysis without libkdumpfile.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct sdei_error *dump_read(void *arg, enum sdei_addr_space space,
				    uint64_t addr, void *buf, size_t len)
{
	return sdei_dump_read(arg, space, addr, buf, len);
}

struct sdei_error *sdei_check(struct sdei_dump *dump,
			      const struct sdei_options *opts,
			      struct sdei_report **ret)
{
	static const struct sdei_options defaults;
	struct sdei_target t = { .read = dump_read, .arg = dump };
	struct sdei_report *r;
	struct sdei_dwarf *dw = NULL;
	struct sdei_error *err = NULL;
	char *why = NULL;
	const char *comp;

	if (!opts)
		opts = &defaults;
	t.vmcoreinfo = sdei_dump_vmcoreinfo(dump);
	t.notes = sdei_dump_prstatus(dump, &t.nr_notes);
	t.all_notes = sdei_dump_notes(dump, &t.nr_all_notes);
	t.header_nr_cpus = sdei_dump_header_nr_cpus(dump);

	if (opts->no_symbols) {
		t.symtab_why = "--no-symbols";
	} else if (opts->vmlinux) {
		err = sdei_symtab_from_vmlinux(opts->vmlinux, t.vmcoreinfo,
					       &t.symtab);
		/* its DWARF, when it has some, gives struct layouts */
		if (!err)
			err = sdei_dwarf_open(opts->vmlinux, &dw);
		if (dw) {
			t.member = sdei_dwarf_member;
			t.types_arg = dw;
			t.types_desc = "DWARF of the vmlinux";
		}
	} else if (opts->system_map) {
		err = sdei_symtab_from_system_map(opts->system_map,
						  t.vmcoreinfo, &t.symtab);
	} else if (opts->discover_root) {
		err = sdei_symtab_discover(dump_read, dump, t.vmcoreinfo,
					   opts->discover_root, &t.symtab,
					   &why);
		t.symtab_why = why;
	} else {
		/* no file discovery: the dump's own kallsyms, if any */
		err = sdei_symtab_from_kallsyms(dump_read, dump, t.vmcoreinfo,
						&t.symtab);
		if (err) {
			why = strdup(err->message);
			t.symtab_why = why;
			sdei_error_destroy(err);
			err = NULL;
		}
	}
	if (err)
		goto out;

	r = sdei_report_create();
	if (!r) {
		err = &sdei_error_nomem;
		goto out;
	}
	err = sdei_facts_add(&r->dump, "format", "%s",
			     sdei_dump_format(dump));
	comp = sdei_dump_compression(dump);
	if (!err && comp)
		err = sdei_facts_add(&r->dump, "compression", "%s", comp);
	if (!err)
		err = sdei_analyze(&t, opts, r);
	if (err) {
		sdei_report_destroy(r);
		goto out;
	}
	*ret = r;
out:
	sdei_symtab_destroy(t.symtab);
	sdei_dwarf_close(dw);
	free(why);
	return err;
}
