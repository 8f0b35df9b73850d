/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_CONNTRACK_H
#define NQSTAT_CONNTRACK_H

#include <linux/types.h>

struct net;
struct nq_net;

/*
 * Connection tracking in one namespace: nf_conntrack's figures when it is
 * loaded (@state NQSTAT_CT_LOADED), and nqstat's own, each when its hook
 * is attached (@has_*).
 */
struct nq_ct_info {
	u64 early_drop, insert_failed, drop;	/* nf_conntrack's statistics */
	u64 table_full_drops;
	u32 count, limit, buckets;
	u32 peak;
	u8 state;			/* enum nqstat_ct_state */
	bool has_peak, has_table_full_drops;
};

int nq_ct_init(void);
void nq_ct_exit(void);
/* The figures of @net; @nn may be NULL (then only nf_conntrack's). */
void nq_ct_read(const struct net *net, struct nq_net *nn,
		struct nq_ct_info *ct);

#endif /* NQSTAT_CONNTRACK_H */
