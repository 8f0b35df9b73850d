// SPDX-License-Identifier: GPL-2.0
/*
 * The hook field table: the values of a hook of GET_STATUS (row: struct
 * nq_hook) that status prints, in text and JSON, and report exports to
 * Prometheus. The order is the JSON order; the text table shows name,
 * kind, missed and state. Then the module's own figures (row: struct
 * nq_status), for Prometheus only.
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

/* 1 attached, 0 unavailable: the hook's health. */
static void get_up(const void *row, struct nq_val *v)
{
	v->known = nq_known(H(row)->state);
	v->u = H(row)->state == NQSTAT_HOOK_ATTACHED;
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
	{ "missed", "Missed", "hook_missed_total", "counter", "",
	  "Kretprobes: calls not followed (no free instance).", S "missed",
	  NQ_FT_U64, TABLE_RIGHT, D, get_missed },
	{ "state_text", "State", NULL, NULL, "",
	  "State, reason and errno in words.", NULL, NQ_FT_STR, L,
	  D | NQ_FF_TEXT, get_state_text },
	{ "up", NULL, "hook_up", "gauge", "",
	  "1 when the hook is attached, 0 when unavailable (its counters are absent).",
	  S "state", NQ_FT_U64, TABLE_RIGHT, NQ_FF_PROM, get_up },
};

const size_t nq_n_hook_fields = sizeof(nq_hook_fields) /
				sizeof(nq_hook_fields[0]);

#define ST(row) ((const struct nq_status *)(row))

#define GET_ST(name) \
static void get_##name(const void *row, struct nq_val *v) \
{ \
	v->known = nq_known(ST(row)->name); \
	v->u = ST(row)->name; \
}

GET_ST(listeners_tracked)
GET_ST(listeners_max)
GET_ST(untracked_events)
GET_ST(grace_period_s)
GET_ST(listeners_adopted)
GET_ST(listeners_foreign)

#define M "status."
#define P NQ_FF_PROM	/* status prints these itself */

const struct nq_field nq_status_fields[] = {
	{ "listeners_tracked", NULL, "listeners_tracked", "gauge", "",
	  "Listeners the module tracks now.", M "listeners_tracked",
	  NQ_FT_U64, TABLE_RIGHT, P, get_listeners_tracked },
	{ "listeners_max", NULL, "listeners_limit", "gauge", "",
	  "Most listeners the module tracks (max_listeners).",
	  M "listeners_max", NQ_FT_U64, TABLE_RIGHT, P, get_listeners_max },
	{ "untracked_events", NULL, "untracked_events_total", "counter", "",
	  "Listeners and events the module could not track or attribute.",
	  M "untracked_events", NQ_FT_U64, TABLE_RIGHT, P,
	  get_untracked_events },
	{ "listeners_adopted", NULL, "listeners_adopted", "gauge", "",
	  "Listeners that were listening at load, tracked since.",
	  M "listeners_adopted", NQ_FT_U64, TABLE_RIGHT, P,
	  get_listeners_adopted },
	{ "listeners_foreign", NULL, "listeners_foreign", "gauge", "",
	  "MPTCP and SMC listeners, not counted.", M "listeners_foreign",
	  NQ_FT_U64, TABLE_RIGHT, P, get_listeners_foreign },
	{ "grace_period", NULL, "grace_period_seconds", "gauge", "s",
	  "How long a closed listener is reported.", M "grace_period",
	  NQ_FT_U64, TABLE_RIGHT, P, get_grace_period_s },
};

const size_t nq_n_status_fields = sizeof(nq_status_fields) /
				  sizeof(nq_status_fields[0]);
