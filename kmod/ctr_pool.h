/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_CTR_POOL_H
#define NQSTAT_CTR_POOL_H

#include <linux/gfp.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <uapi/linux/nqstat.h>

/* Per-CPU counters of one listener, indexed by enum nqstat_counter. */
struct nq_counters {
	u64 v[__NQSTAT_CTR_MAX];
};

struct nq_ctr_chunk;

/*
 * A listener's per-CPU counters (NULL: none, it counts in atomics of its
 * own) and the chunk they came from (NULL: allocated on their own).
 */
struct nq_ctr_slot {
	struct nq_counters __percpu *ctr;
	struct nq_ctr_chunk *chunk;
};

void nq_ctr_get(struct nq_ctr_slot *slot, gfp_t gfp, unsigned int most);
void nq_ctr_put(struct nq_ctr_slot *slot);
int nq_ctr_pool_init(unsigned int most);
void nq_ctr_pool_exit(void);

#endif /* NQSTAT_CTR_POOL_H */
