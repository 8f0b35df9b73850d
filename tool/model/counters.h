/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tool knows about the module's counters: names, what the
 * module says its hooks feed, the drop kinds and their sum, the
 * "Dropped by" breakdown. No I/O.
 */
#ifndef NQSTAT_COUNTERS_H
#define NQSTAT_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

struct nq_counter_info {
	unsigned int type;		/* enum nqstat_counter */
	const char *json;		/* its key (out/f_listener.c) */
};

/* Every counter, in enum order. */
extern const struct nq_counter_info nq_counters[];
extern const size_t nq_n_counters;

/* NULL for a counter type this version does not know. */
const struct nq_counter_info *nq_counter_find(unsigned int type);

/*
 * The fields hook h feeds ("listener.syn_queue_drops"), as the module
 * reported them in NQSTAT_A_HOOK_FEEDS (nqstat(8), MODULE PARAMETERS,
 * disable_hooks): at most max into names[]. Returns how many there are,
 * which may exceed max. The tool keeps no list of its own: with a module
 * that does not send the attribute, the feeds are unknown
 * (nq_hook_feeds_known() false) and this returns 0.
 */
size_t nq_hook_fed(const struct nq_hook *h, const char **names, size_t max);

static inline bool nq_hook_feeds_known(const struct nq_hook *h)
{
	return h->feeds != NULL;
}

/*
 * The warning "status" prints about hook h, without a newline: one when
 * the hook missed calls (kretprobes) or is unavailable. Only a kretprobe's
 * "module:function" names a module whose absence is merely noted; a table
 * hook's "af_ops:conn_request" does not. The fields it leaves without a
 * value are those the module reported, or said to be unknown. Returns 1 with the warning in
 * buf, 0 when there is nothing to say, or -ENOSPC.
 */
int nq_hook_warning(char *buf, size_t len, const struct nq_hook *h);

/* Enough for any warning of nq_hook_warning() with a short hook name. */
#define NQ_HOOK_WARNING_LEN 512

/* The drop kinds, whose sum is the listener's share of ListenDrops. */
struct nq_drop_kind {
	unsigned int type;		/* enum nqstat_counter */
	const char *label;		/* in the "Dropped by" column */
};

extern const struct nq_drop_kind nq_drop_kinds[];
extern const size_t nq_n_drop_kinds;

/* JSON name of the computed sum of the drop kinds. */
#define NQ_DROPS_TOTAL_JSON "drops_total"

/* Mask (bit 1 << NQSTAT_CTR_*) of the drop kinds. */
uint32_t nq_drop_kinds_mask(void);

/*
 * The sum of the drop kinds of l. False (unknown) when one of them is
 * absent. Saturates at UINT64_MAX.
 */
bool nq_drops_total(const struct nq_listener *l, uint64_t *total);

/*
 * The "Dropped by" cell, from the counters counts[] (indexed by
 * NQSTAT_CTR_*) present in present (NQ_BIT(NQSTAT_CTR_*)):
 *
 *     synq:N,syn-backlog:N,acceptq(syn):N,acceptq(ack):N(rst:N),other:N
 *
 * only the kinds that are present and nonzero, in that order; "(rst:N)"
 * only when N > 0 of the accept-queue final-ACK drops were answered with a
 * reset; "-" when there is no such kind. Returns 0, or -ENOSPC (buf then
 * holds a truncated string).
 */
int format_dropped_by(char *buf, size_t len, const uint64_t *counts);

/*
 * The same for per-second rates[] (indexed by NQSTAT_CTR_*): values with
 * one decimal; a rate that rounds to 0.0 counts as zero.
 */
int format_dropped_by_rates(char *buf, size_t len, const double *rates);

/* Enough for every kind with the largest counts. */
#define FORMAT_DROPPED_BY_LEN 256

#endif /* NQSTAT_COUNTERS_H */
