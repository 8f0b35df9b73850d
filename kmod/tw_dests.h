/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_TW_DESTS_H
#define NQSTAT_TW_DESTS_H

#include <linux/in6.h>
#include <linux/types.h>

struct net;

/* The TIME_WAIT sockets of a namespace to one remote endpoint. */
struct nq_dest {
	struct in6_addr addr;		/* IPv4 in s6_addr32[0] */
	u32 count;
	u16 port;
	u8 family;
};

/* One walk's endpoints. */
struct nq_dest_table {
	struct nq_dest *slot;
	bool truncated;			/* some endpoints left out */
};

/*
 * Counts the TIME_WAIT sockets of @net by remote endpoint into @t (caller
 * holds a reference on @net); may sleep. Then nq_tw_dests_free().
 */
int nq_tw_dests_walk(struct nq_dest_table *t, const struct net *net);
/* The endpoint with the most sockets still in @t, taken out; false: none. */
bool nq_tw_dests_next(struct nq_dest_table *t, struct nq_dest *d);
void nq_tw_dests_free(struct nq_dest_table *t);

#endif /* NQSTAT_TW_DESTS_H */
