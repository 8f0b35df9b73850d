// SPDX-License-Identifier: GPL-2.0
/*
 * TIME_WAIT sockets by remote endpoint, counted by walking the namespace's
 * established hash as "ss -tan state time-wait" would, when asked: a
 * client can hold at most one port-range worth of connections (TIME_WAIT
 * included) to one endpoint, so this shows port exhaustion coming. The
 * reply: netlink_netns.c.
 */

#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/tcp_states.h>

#include "compat.h"
#include "tw_dests.h"

/* Distinct endpoints ranked per walk; more sets the truncated flag. */
#define NQ_DEST_BITS 14
/*
 * Slots an endpoint may be from its hash: bounds the work per socket (an
 * endpoint is always inserted within the cap, so one already counted is
 * always found: the counts shown stay exact). An endpoint that finds no
 * slot within it is left out, and the list flagged truncated.
 */
#define NQ_DEST_PROBES 32

static void nq_dest_add(struct nq_dest_table *t, const struct sock *sk)
{
	struct nq_dest key = { .family = sk->sk_family,
			       .port = ntohs(sk->sk_dport) };
	u32 mask = (1U << NQ_DEST_BITS) - 1, i, n;

#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		key.addr = sk->sk_v6_daddr;
	else
#endif
		key.addr.s6_addr32[0] = sk->sk_daddr;
	i = hash_32(jhash(&key.addr, sizeof(key.addr), key.port << 8 |
			  key.family), NQ_DEST_BITS);
	for (n = 0; n < NQ_DEST_PROBES; n++, i = (i + 1) & mask) {
		struct nq_dest *d = &t->slot[i];

		if (!d->count) {
			*d = key;
			d->count = 1;
			return;
		}
		if (d->family == key.family && d->port == key.port &&
		    ipv6_addr_equal(&d->addr, &key.addr)) {
			d->count++;
			return;
		}
	}
	t->truncated = true;
}

static void nq_dest_walk(struct nq_dest_table *t, const struct net *net)
{
	const struct inet_hashinfo *h = nq_tw_hashinfo(net);
	const struct hlist_nulls_node *node;
	const struct sock *sk;
	unsigned int i;

	for (i = 0; i <= h->ehash_mask; i++) {
		const struct inet_ehash_bucket *b = &h->ehash[i];

		if (hlist_nulls_empty(&b->chain))
			continue;
		rcu_read_lock();
		sk_nulls_for_each_rcu(sk, node, &b->chain)
			if (READ_ONCE(sk->sk_state) == TCP_TIME_WAIT &&
			    net_eq(sock_net(sk), net))
				nq_dest_add(t, sk);
		rcu_read_unlock();
		cond_resched();
	}
}

int nq_tw_dests_walk(struct nq_dest_table *t, const struct net *net)
{
	t->truncated = false;
	t->slot = kvcalloc(1U << NQ_DEST_BITS, sizeof(*t->slot),
			   GFP_KERNEL_ACCOUNT);
	if (!t->slot)
		return -ENOMEM;
	nq_dest_walk(t, net);
	return 0;
}

bool nq_tw_dests_next(struct nq_dest_table *t, struct nq_dest *d)
{
	u32 i, best;

	for (i = 0, best = 0; i < 1U << NQ_DEST_BITS; i++)
		if (t->slot[i].count > t->slot[best].count)
			best = i;
	if (!t->slot[best].count)
		return false;
	*d = t->slot[best];
	t->slot[best].count = 0;
	return true;
}

void nq_tw_dests_free(struct nq_dest_table *t)
{
	kvfree(t->slot);
	t->slot = NULL;
}
