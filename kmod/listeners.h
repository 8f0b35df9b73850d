/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_LISTENERS_H
#define NQSTAT_LISTENERS_H

#include <linux/atomic.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <net/inet_connection_sock.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <uapi/linux/nqstat.h>

#include "ctr_pool.h"
#include "peak.h"

struct nq_net;
struct sock;

/*
 * One tracked TCP listener. Found by its socket cookie (never by pointer:
 * the socket may be gone while the entry stays readable). Identity fields
 * that can change while listening are read and written with
 * READ_ONCE()/WRITE_ONCE(); the rest is written once, before the entry is
 * published.
 *
 * @sk is the live listener, for reading its queue lengths and sk_drops in
 * dumps. It is set only while the entry is LISTENING and only for a socket
 * with SOCK_RCU_FREE (set for every hashed listener), and cleared, under
 * nq_lock, at the LISTEN -> CLOSE transition, which every listener goes
 * through before it is freed: a reader under rcu_read_lock() that sees it
 * non-NULL may read the socket.
 *
 * @af_ops is the listener's own copy of its inet_connection_sock_af_ops,
 * with conn_request and syn_recv_sock wrapped (af_ops.c). @wrapped is the
 * socket it is installed on, under nq_lock: set when it is installed (the
 * socket is then LISTEN), cleared when it is taken back; the socket is not
 * freed in between, since it must first leave LISTEN, which takes the table
 * back under nq_lock. The entry outlives any caller that read @af_ops: it
 * is freed after both a tasks-RCU and an RCU grace period.
 */
struct nq_listener {
	struct inet_connection_sock_af_ops af_ops;
	const struct inet_connection_sock_af_ops *stock;	/* it copies */
	struct hlist_node node;		/* nq_hash, keyed by cookie */
	struct list_head list;		/* nq_list, in ascending seq */
	struct list_head ns_node;	/* nn->listeners, in ascending seq */
	struct list_head closed;	/* nq_closed, when CLOSED */
	struct list_head ns_closed;	/* nn->closed, when CLOSED */
	struct nq_net *nn;		/* its namespace's state */
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
	u8 backlog_source;		/* enum nqstat_backlog_source, or 0 */
	u64 closed_at;			/* jiffies64, when state is CLOSED */
	struct sock __rcu *sk;
	struct sock *wrapped;		/* under nq_lock */
	u32 acceptq_peak, synq_peak;	/* since first seen */
	u32 acceptq_peak_reset, synq_peak_reset;	/* since last reset */
	u64 reset_at;			/* jiffies64 of the last reset, or 0 */
	seqcount_spinlock_t base_seq;	/* writers hold nq_lock */
	u64 base[__NQSTAT_CTR_MAX];	/* counter values at the last reset */
	struct nq_ctr_slot slot;	/* its per-CPU counters, or none */
	atomic64_t shared[__NQSTAT_CTR_MAX];	/* when slot.ctr is NULL */
	struct rcu_head rcu;
};

/*
 * All entries, for dumps: iterate under rcu_read_lock(). Writers of the
 * table and of the entries' fields that say so hold nq_lock, with
 * interrupts off.
 */
extern struct list_head nq_list;
extern spinlock_t nq_lock;

int nq_listeners_init(void);
void nq_listeners_exit(void);

struct nq_listener *nq_listener_lookup(u64 cookie);
struct nq_listener *nq_listener_resume(struct nq_net *nn, u64 cookie,
				       u64 seq);
struct nq_listener *nq_listener_next(struct nq_net *nn,
				     struct nq_listener *l);
struct nq_listener *nq_listener_alloc(const struct sock *sk, gfp_t gfp);
void nq_listener_free(struct nq_listener *l);
struct nq_listener *nq_listener_insert(struct sock *sk,
				       struct nq_listener **new);
void nq_listener_closed(struct nq_listener *l);
void nq_listeners_remove_net(struct nq_net *nn);
void __nq_listener_refresh(struct nq_listener *l, const struct sock *sk);
void __nq_listener_attach(struct nq_listener *l, const struct sock *sk);
void __nq_listener_attach_slow(struct nq_listener *l, const struct sock *sk);

void nq_untracked_inc(void);
u64 nq_untracked_read(void);
unsigned int nq_listeners_count(void);
unsigned int nq_grace_period(void);
unsigned int nq_max_listeners(void);
unsigned int nq_netns_share(void);
unsigned int nq_listeners_count_net(const struct net *net);

/* Once it can: the first SYN of a new listener, which is hashed by then. */
static inline void nq_listener_attach(struct nq_listener *l,
				      const struct sock *sk)
{
	if (unlikely(!rcu_access_pointer(l->sk)))
		__nq_listener_attach_slow(l, sk);
}

/* A second listen() changed the backlog, or an autobound port appeared. */
static inline void nq_listener_refresh(struct nq_listener *l,
				       const struct sock *sk)
{
	if (unlikely(READ_ONCE(l->backlog) !=
		     READ_ONCE(sk->sk_max_ack_backlog) ||
		     READ_ONCE(l->port) != inet_sk(sk)->inet_num))
		__nq_listener_refresh(l, sk);
}

/*
 * A listener counts per CPU when the pool had a slot for it at LISTEN
 * (ctr_pool.c), else in its own atomics: exact either way. slot.ctr is
 * set before the entry is published and never changes.
 */
static inline void nq_counter_add(struct nq_listener *l, int id, u64 n)
{
	struct nq_counters __percpu *c = l->slot.ctr;

	if (likely(c))
		this_cpu_add(c->v[id], n);
	else
		atomic64_add(n, &l->shared[id]);
}

#define nq_counter_inc(l, id) nq_counter_add(l, id, 1)

/* A queue length seen right after the listener's queue grew. */
static inline void nq_synq_seen(struct nq_listener *l, u32 len)
{
	nq_peak_update(&l->synq_peak, len);
	nq_peak_update(&l->synq_peak_reset, len);
}

static inline void nq_acceptq_seen(struct nq_listener *l, u32 len)
{
	nq_peak_update(&l->acceptq_peak, len);
	nq_peak_update(&l->acceptq_peak_reset, len);
}

#endif /* NQSTAT_LISTENERS_H */
