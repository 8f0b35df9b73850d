/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_LISTENERS_H
#define NQSTAT_LISTENERS_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <net/net_namespace.h>
#include <uapi/linux/nqstat.h>

struct sock;

/* Per-CPU counters of one listener, indexed by enum nqstat_counter. */
struct nq_counters {
	u64 v[__NQSTAT_CTR_MAX];
};

/*
 * One tracked TCP listener. Found by its socket cookie (never by pointer:
 * the socket may be gone while the entry stays readable). Identity fields
 * that can change while listening are read and written with
 * READ_ONCE()/WRITE_ONCE(); the rest is written once, before the entry is
 * published.
 */
struct nq_listener {
	struct rhash_head node;		/* nq_table, keyed by cookie */
	struct list_head list;		/* nq_list, in ascending seq */
	u64 cookie;
	u64 seq;			/* insertion order, resumes dumps */
	possible_net_t net;		/* no reference: freed with the netns */
	u64 netns_cookie;
	u32 netns_ino;
	int ifindex;
	struct in6_addr addr;		/* IPv4 in s6_addr32[0] */
	u8 family;
	u8 state;			/* enum nqstat_listener_state */
	u16 port;
	u32 backlog;
	unsigned long closed_at;	/* jiffies, when state is CLOSED */
	struct nq_counters __percpu *ctr;
	struct rcu_head rcu;
};

/* All entries, for dumps: iterate under rcu_read_lock(). */
extern struct list_head nq_list;

int nq_listeners_init(void);
void nq_listeners_exit(void);

struct nq_listener *nq_listener_lookup(u64 cookie);
void nq_listener_open(const struct sock *sk);
void nq_listener_close(const struct sock *sk);
void nq_listener_refresh(struct nq_listener *l, const struct sock *sk);
void nq_listener_sum(const struct nq_listener *l, struct nq_counters *sum);

void nq_untracked_inc(void);
u64 nq_untracked_read(void);
unsigned int nq_listeners_count(void);
unsigned int nq_grace_period(void);
unsigned int nq_max_listeners(void);

#define nq_counter_inc(l, id) this_cpu_inc((l)->ctr->v[id])

#endif /* NQSTAT_LISTENERS_H */
