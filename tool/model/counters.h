/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tool knows about the module's counters: names, the hooks they
 * need, the drop kinds and their sum, the "Dropped by" breakdown. No I/O.
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

/* Most fields one hook feeds, plus the terminating NULL. */
#define NQ_HOOK_MAX_FEEDS 8

/* A hook and the fields it feeds, "<object>.<field>". */
struct nq_hook_feeds {
	const char *hook;		/* NQSTAT_A_HOOK_NAME */
	const char *feeds[NQ_HOOK_MAX_FEEDS];
};

/* The tool's only copy of which hook feeds which field. */
extern const struct nq_hook_feeds nq_hook_feeds[];
extern const size_t nq_n_hook_feeds;

/*
 * The fields hook h feeds ("listener.syn_queue_drops"): the module's
 * NQSTAT_A_HOOK_FEEDS when it sent them, else those of nq_hook_feeds[]
 * for its name; at most max into names[]. Returns how many there are,
 * which may exceed max.
 */
size_t nq_hook_fed(const struct nq_hook *h, const char **names, size_t max);

/*
 * The warning "status" prints about hook h, without a newline: one when
 * the hook missed calls (kretprobes) or is unavailable. Only a kretprobe's
 * "module:function" names a module whose absence is merely noted; a table
 * hook's "af_ops:conn_request" does not. Returns 1 with the warning in
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
