// SPDX-License-Identifier: GPL-2.0
/*
 * The hook field table: the values of a hook of GET_STATUS (row: struct
 * nq_hook) that status prints, in text and JSON. The order is the JSON
 * order; the text table shows name, kind, missed and state.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "out/field.h"

#define H(row) ((const struct nq_hook *)(row))

static void get_name(const void *row, struct nq_val *v)
{
	v->s = H(row)->name;
	v->known = v->s;
}

static void get_kind(const void *row, struct nq_val *v)
{
	if (nq_known(H(row)->kind))
		v->s = format_hook_kind((uint8_t)H(row)->kind);
	v->known = v->s;
}

static void get_state(const void *row, struct nq_val *v)
{
	if (nq_known(H(row)->state))
		v->s = format_hook_state((uint8_t)H(row)->state);
	v->known = v->s;
}

/* Text: "attached", or "unavailable: <reason> (errno N: <strerror>)". */
static void get_state_text(const void *row, struct nq_val *v)
{
	const struct nq_hook *h = H(row);
	const char *state = NULL;
	char err[96] = "";

	if (nq_known(h->state))
		state = format_hook_state((uint8_t)h->state);
	if (nq_known(h->err))
		snprintf(err, sizeof(err), " (errno %" PRIu64 ": %s)", h->err,
			 strerror((int)h->err));
	snprintf(v->buf, sizeof(v->buf), "%s%s%s%s", state ? state : "-",
		 h->reason ? ": " : "", h->reason ? h->reason : "", err);
	v->s = v->buf;
	v->known = true;
}

static void get_errno(const void *row, struct nq_val *v)
{
	v->known = nq_known(H(row)->err);
	v->u = H(row)->err;
}

static void get_reason(const void *row, struct nq_val *v)
{
	v->s = H(row)->reason;
	v->known = v->s;
}

static void get_missed(const void *row, struct nq_val *v)
{
	v->known = nq_known(H(row)->missed);
	v->u = H(row)->missed;
}

#define S "hook."
#define L TABLE_LEFT
#define D NQ_FF_DEFAULT

const struct nq_field nq_hook_fields[] = {
	{ "name", "Hook", NULL, NULL, "",
	  "The hook: \"system:event\", \"table:entry\" or \"module:function\".",
	  S "name", NQ_FT_STR, L, D, get_name },
	{ "kind", "Kind", NULL, NULL, "",
	  "tracepoint, kprobe, kretprobe or table.", S "kind", NQ_FT_STR, L, D,
	  get_kind },
	{ "state", NULL, NULL, NULL, "", "attached or unavailable.",
	  S "state", NQ_FT_STR, L, 0, get_state },
	{ "errno", NULL, NULL, NULL, "",
	  "Why it is unavailable, a positive errno.", S "errno", NQ_FT_U64,
	  TABLE_RIGHT, 0, get_errno },
	{ "reason", NULL, NULL, NULL, "", "Why it is unavailable, in words.",
	  S "reason", NQ_FT_STR, L, 0, get_reason },
	{ "missed", "Missed", NULL, NULL, "",
	  "Kretprobes: calls not followed (no free instance).", S "missed",
	  NQ_FT_U64, TABLE_RIGHT, D, get_missed },
	{ "state_text", "State", NULL, NULL, "",
	  "State, reason and errno in words.", NULL, NQ_FT_STR, L,
	  D | NQ_FF_TEXT, get_state_text },
};

const size_t nq_n_hook_fields = sizeof(nq_hook_fields) /
				sizeof(nq_hook_fields[0]);
