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
#include "out/field.h"
#include "out/format.h"
#include "out/json.h"
#include "out/status.h"
#include "out/table.h"

static const struct table_col hook_cols[] = {
	{ "Hook", TABLE_LEFT },
	{ "Kind", TABLE_LEFT },
	{ "Missed", TABLE_RIGHT },
	{ "State", TABLE_LEFT },
};

#define N_HOOK_COLS (sizeof(hook_cols) / sizeof(hook_cols[0]))

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

/* "attached", or "unavailable: <reason> (errno N: <strerror>)". */
static char *hook_state(const struct nq_hook *h)
{
	const char *state = NULL;
	char err[128] = "";
	char *out;

	if (nq_known(h->state))
		state = format_hook_state(h->state);
	if (nq_known(h->err))
		snprintf(err, sizeof(err), " (errno %" PRIu64 ": %s)", h->err,
			 strerror((int)h->err));
	if (asprintf(&out, "%s%s%s%s", or_dash(state), h->reason ? ": " : "",
		     h->reason ? h->reason : "", err) < 0)
		return NULL;
	return out;
}

static int print_hooks(FILE *out, const struct nq_status *st)
{
	struct table *t = table_new(hook_cols, N_HOOK_COLS);
	char num[FORMAT_NUM_LEN];
	size_t i;
	int ret = 0;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < st->n_hooks && !ret; i++) {
		const struct nq_hook *h = &st->hooks[i];
		const char *kind = NULL;
		char *state;

		if (nq_known(h->kind))
			kind = format_hook_kind(h->kind);
		state = hook_state(h);
		if (!state) {
			ret = -ENOMEM;
			break;
		}
		ret = table_add(t, or_dash(h->name));
		if (!ret)
			ret = table_add(t, or_dash(kind));
		/* Kretprobes only: "-" for a tracepoint or a table hook. */
		if (!ret)
			ret = table_add(t, format_counter(num, sizeof(num),
				nq_known(h->missed),
				h->missed));
		if (!ret)
			ret = table_add(t, state);
		free(state);
	}
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
		const struct nq_hook *h = &st->hooks[i];

		json_obj_begin(j);
		json_kv_str(j, "name", h->name);
		json_kv_str(j, "kind",
			    nq_known(h->kind) ?
			    format_hook_kind(h->kind) : NULL);
		json_kv_str(j, "state",
			    nq_known(h->state) ?
			    format_hook_state(h->state) : NULL);
		json_kv_u64_opt(j, "errno",
				nq_known(h->err),
				h->err);
		json_kv_str(j, "reason", h->reason);
		json_kv_u64_opt(j, "missed",
				nq_known(h->missed),
				h->missed);
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
