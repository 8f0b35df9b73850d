// SPDX-License-Identifier: GPL-2.0
/*
 * "status": the module's version, hooks and table use, as text and JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/counters.h"
#include "model/modstate.h"
#include "out/field.h"
#include "out/format.h"
#include "out/json.h"
#include "out/status.h"
#include "out/table.h"

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}


/* The hooks' table: the default columns of the hook field table. */
static int print_hooks(FILE *out, const struct nq_status *st)
{
	const struct nq_field *f = nq_hook_fields;
	struct table_col cols[NQ_MAX_FIELDS];
	size_t idx[NQ_MAX_FIELDS], i, k;
	char buf[FORMAT_DROPPED_BY_LEN], err[64];
	struct table *t;
	int n, ret = 0;

	n = nq_fields_columns(f, nq_n_hook_fields, "name,kind,missed,state_text",
			      false, false, false, idx, err, sizeof(err));
	if (n < 0)
		return n;
	for (k = 0; k < (size_t)n; k++) {
		cols[k].title = f[idx[k]].title;
		cols[k].align = f[idx[k]].align;
	}
	t = table_new(cols, (size_t)n);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < st->n_hooks && !ret; i++)
		for (k = 0; k < (size_t)n && !ret; k++)
			ret = table_add(t, nq_field_text(&f[idx[k]],
							 &st->hooks[i], buf,
							 sizeof(buf)));
	if (!ret)
		ret = table_print(t, out, "  ", true);
	table_free(t);
	return ret;
}

/*
 * One line per hook that lost events or is unavailable: what it means for
 * the counters.
 */
static void print_warnings(FILE *out, const struct nq_status *st)
{
	char buf[NQ_HOOK_WARNING_LEN];
	size_t i;

	for (i = 0; i < st->n_hooks; i++) {
		int ret = nq_hook_warning(buf, sizeof(buf), &st->hooks[i]);

		/* Truncated (a very long hook name) is still worth a line. */
		if (ret > 0 || ret == -ENOSPC) {
			format_fputs_escaped(buf, out);
			fputc('\n', out);
		}
	}
}

int nq_status_print_text(FILE *out, const struct nq_status *st)
{
	char a[FORMAT_NUM_LEN], b[FORMAT_NUM_LEN];
	bool has_untracked = nq_known(st->untracked_events);
	bool has_foreign = nq_known(st->listeners_foreign);
	int ret;

	fputs("version: ", out);
	format_fputs_escaped(or_dash(st->version), out);
	fputs("\nkernel release: ", out);
	format_fputs_escaped(or_dash(st->kernel_release), out);
	fputc('\n', out);
	fprintf(out, "listeners: %s tracked / %s max\n",
		format_counter(a, sizeof(a),
			       nq_known(st->listeners_tracked),
			       st->listeners_tracked),
		format_counter(b, sizeof(b),
			       nq_known(st->listeners_max),
			       st->listeners_max));
	fprintf(out, "listeners adopted at load: %s\n",
		format_counter(a, sizeof(a),
			       nq_known(st->listeners_adopted),
			       st->listeners_adopted));
	fprintf(out, "foreign listeners (not counted): %s%s\n",
		format_counter(a, sizeof(a), has_foreign,
			       st->listeners_foreign),
		has_foreign && st->listeners_foreign ?
		" (their function table is not the kernel's TCP one, e.g. MPTCP or SMC)" :
		"");
	fprintf(out, "untracked listeners and events: %s%s\n",
		format_counter(a, sizeof(a), has_untracked,
			       st->untracked_events),
		has_untracked && st->untracked_events ?
		" (table full or out of memory: counters are missing for some listeners)" :
		"");
	fprintf(out, "grace period: %s%s\n",
		format_counter(a, sizeof(a),
			       nq_known(st->grace_period_s),
			       st->grace_period_s),
		nq_known(st->grace_period_s) ? " s" : "");
	fprintf(out, "hooks:\n");
	ret = print_hooks(out, st);
	if (!ret)
		print_warnings(out, st);
	if (!ret && ferror(out))
		ret = -EIO;
	return ret;
}

int nq_status_print_json(FILE *out, const struct nq_status *st, bool pretty)
{
	struct json *j = json_new(out, pretty);
	size_t i;

	if (!j)
		return -ENOMEM;
	json_obj_begin(j);
	nq_json_header(j, 0);
	json_kv_str(j, "version", st->version);
	json_kv_str(j, "kernel_release", st->kernel_release);
	json_key(j, "hooks");
	json_arr_begin(j);
	for (i = 0; i < st->n_hooks; i++) {
		json_obj_begin(j);
		nq_fields_json(j, nq_hook_fields, nq_n_hook_fields,
			       &st->hooks[i], false);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kv_u64_opt(j, "listeners_tracked",
			nq_known(st->listeners_tracked),
			st->listeners_tracked);
	json_kv_u64_opt(j, "listeners_max",
			nq_known(st->listeners_max),
			st->listeners_max);
	json_kv_u64_opt(j, "listeners_adopted",
			nq_known(st->listeners_adopted),
			st->listeners_adopted);
	json_kv_u64_opt(j, "listeners_foreign",
			nq_known(st->listeners_foreign),
			st->listeners_foreign);
	json_kv_u64_opt(j, "untracked_events",
			nq_known(st->untracked_events),
			st->untracked_events);
	json_kv_u64_opt(j, "grace_period_s",
			nq_known(st->grace_period_s),
			st->grace_period_s);
	json_obj_end(j);
	return json_end(j);
}

void nq_module_json(struct json *j, const struct nq_modfacts *f)
{
	enum nq_mod_why why = nq_modstate_why(f);
	char text[512], fix[512];

	nq_modstate_explain(f, why, text, sizeof(text), fix, sizeof(fix));
	json_key(j, "module");
	json_obj_begin(j);
	json_key(j, "loaded");
	json_bool(j, false);
	json_kv_str(j, "reason", nq_modstate_key(why));
	json_kv_str(j, "message", text);
	json_kv_str(j, "fix", fix);
	json_obj_end(j);
}

int nq_module_print_json(FILE *out, const struct nq_modfacts *f, bool pretty)
{
	struct json *j = json_new(out, pretty);

	if (!j)
		return -ENOMEM;
	json_obj_begin(j);
	nq_json_header(j, 0);
	json_kv_str(j, "source", "kernel");
	nq_module_json(j, f);
	json_obj_end(j);
	return json_end(j);
}
