// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of connection tracking: nf_conntrack_max and its buckets.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

static uint64_t ct_bytes(uint64_t entries, uint64_t buckets)
{
	return entries * NQ_REC_CT_ENTRY_BYTES +
	       buckets * NQ_REC_CT_BUCKET_BYTES;
}

static uint64_t ct_buckets_for(uint64_t entries)
{
	return nq_round_pow2(entries / NQ_REC_CT_ENTRIES_PER_BUCKET);
}

/*
 * nf_conntrack_max and _buckets are writable only in the initial
 * namespace: their mode says so best; else /proc/1's namespace.
 */
static void ct_settable(struct ctx *c, struct nq_finding *fd)
{
	const struct nq_snapshot *s = c->cur;
	bool known = s->ct_mode_known || s->init_netns_known;

	if (!fd)
		return;
	fd->settable = s->ct_mode_known ? s->ct_writable :
		       s->init_netns_known && s->init_netns;
	if (!fd->settable)
		rq_evidence(c, fd, known ?
			 "not the initial network namespace: this sysctl is read-only here; set it on the host" :
			 "whether this is the initial network namespace is unknown (needs access to /proc/1/ns/net): only the initial namespace can set it");
}

void rule_conntrack(struct ctx *c)
{
	const struct nq_ct *ct = &c->cur->ns.ct;
	uint64_t full, early, need, target, tb, budget = 0;
	struct nq_finding *fd;
	const char *why_none = NULL;
	char win[64];
	bool w = false, wf = false, lower, short_of, by_stat;

	if (!nq_known(c->cur->ns.ct.state) ||
	    !nq_known(ct->state) ||
	    ct->state != NQSTAT_CT_LOADED ||
	    !nq_known(ct->max) ||
	    !nq_known(ct->count))
		return;
	full = nq_known(ct->table_full_drops) ?
	       ct->table_full_drops : 0;
	early = nq_known(ct->early_drops) ?
		ct->early_drops : 0;
	if (c->prev && c->prev->has_netns) {
		const struct nq_ct *p = &c->prev->ns.ct;

		wf = nq_ct_delta(p, ct, NQSTAT_A_CT_TABLE_FULL_DROPS, &full);
		w = nq_ct_delta(p, ct, NQSTAT_A_CT_EARLY_DROPS, &early);
	}
	/*
	 * Without nqstat's table-full count, the kernel's drop statistic
	 * (table full among other causes) bounds it from above.
	 */
	by_stat = !nq_known(ct->table_full_drops) && nq_known(ct->drops);
	if (by_stat) {
		full = ct->drops;
		if (c->prev && c->prev->has_netns)
			wf = nq_ct_delta(&c->prev->ns.ct, ct,
					 NQSTAT_A_CT_DROPS, &full);
	}
	need = ct->count;
	if (nq_known(ct->peak) && ct->peak > need)
		need = ct->peak;
	if (!full && !early && need < NQ_REC_NEAR * ct->max)
		return;
	/*
	 * The demand: the entries the table held plus the flows it turned
	 * away (packets dropped at a full table, entries evicted early).
	 * A dropped packet is at most one flow (a client retrying its SYN
	 * counts once per try): an upper bound. Without a drop count (the
	 * hook unavailable) the limit is only a lower bound.
	 */
	lower = !nq_known(ct->table_full_drops) && !by_stat &&
		need >= ct->max;
	if ((full || early) && need < ct->max)
		need = ct->max;		/* it was full */
	need += full + early;
	target = nq_round_pow2(need * NQ_REC_HEADROOM);
	if (c->cur->has_mem_total) {
		budget = c->cur->mem_total_bytes / NQ_REC_MEM_SHARE;
		while (target > ct->max &&
		       ct_bytes(target, ct_buckets_for(target)) > budget)
			target /= 2;
	}
	if (target > INT32_MAX)
		target = INT32_MAX;
	if (target <= ct->max)
		why_none = "memory";
	short_of = target < need;

	rq_window(c, wf || w, SINCE_NETNS, win, sizeof(win));
	fd = rq_add(c, full ? NQ_SEV_CRITICAL : NQ_SEV_WARNING,
		    why_none ? RQ_CT_MAX_AT_BUDGET : RQ_CT_MAX);
	rq_values(c, fd, true, ct->max, !why_none, target);
	if (!why_none)
		ct_settable(c, fd);
	rq_evidence(c, fd, "conntrack entries now %" PRIu64 ", peak %" PRIu64 ", limit %" PRIu64 "", ct->count,
		 ct->peak, ct->max);
	rq_evidence(c, fd, "%" PRIu64 " packets dropped, table full; %" PRIu64 " entries evicted early %s",
		 full, early, win);
	if (full || early || lower)
		rq_evidence(c, fd, lower ?
			    "demand at least %" PRIu64 " entries (the limit; the drops were not counted): a lower bound" :
			    "demand at most %" PRIu64 " entries: the entries plus the flows turned away (a dropped packet is at most one flow)",
			    need);
	if (short_of)
		rq_evidence(c, fd, "the memory budget holds %" PRIu64 " entries, less than the demand: exempt flows from tracking (NOTRACK) as well",
			    target);
	if (nq_known(ct->insert_failed) && ct->insert_failed)
		rq_evidence(c, fd, "%" PRIu64 " insertions failed (clash or long chain)",
			 ct->insert_failed);
	if (!why_none)
		rq_reasoning(c, fd, RQ_CT_MAX, target, NQ_REC_HEADROOM,
			     NQ_REC_MEM_SHARE, NQ_REC_CT_ENTRY_BYTES,
			     NQ_REC_CT_BUCKET_BYTES,
			     ct_bytes(target, ct_buckets_for(target)) >> 20,
			     ct_buckets_for(target));
	else
		rq_reasoning(c, fd, RQ_CT_MAX_AT_BUDGET, NQ_REC_MEM_SHARE,
			     budget >> 20, NQ_REC_CT_ENTRY_BYTES);
	rq_risk(c, fd, why_none ? RQ_CT_MAX_AT_BUDGET : RQ_CT_MAX);
	if (why_none || !nq_known(ct->buckets))
		return;

	tb = ct_buckets_for(target);
	if (tb <= ct->buckets)
		return;
	fd = rq_add(c, NQ_SEV_WARNING, RQ_CT_BUCKETS);
	rq_values(c, fd, true, ct->buckets, true, tb);
	ct_settable(c, fd);
	rq_evidence(c, fd, "nf_conntrack_max %" PRIu64 " recommended, %" PRIu64 " buckets: %.1f entries per chain at a full table",
		 target, ct->buckets, (double)target / ct->buckets);
	rq_reasoning(c, fd, RQ_CT_BUCKETS, NQ_REC_CT_ENTRIES_PER_BUCKET,
		     rq_part(RQ_CT_BUCKETS,
			     NQ_REC_CT_ENTRIES_PER_BUCKET == 1 ? 0 : 1));
	rq_risk(c, fd, RQ_CT_BUCKETS, NQ_REC_CT_BUCKET_BYTES);
}

/* Stable: by severity, then in the order the rules found them. */
