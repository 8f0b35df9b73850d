// SPDX-License-Identifier: GPL-2.0
/*
 * The table of TCP listeners: a fixed-size RCU hash keyed by socket cookie
 * for the probes' lock-free lookups, and an RCU list in insertion order for
 * dumps. Writers (a listener seen for the first time, a close, a reset, the
 * reaper, a namespace going away) serialise on nq_lock, taken with
 * interrupts off so that a probe in any context may create an entry; readers
 * only take rcu_read_lock().
 */

#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>

#include "compat.h"
#include "listeners.h"

static unsigned int max_listeners = 65536;
module_param(max_listeners, uint, 0644);
MODULE_PARM_DESC(max_listeners,
		 "Most listeners tracked at once, closed ones included (default 65536)");

static unsigned int grace_period = 60;
module_param(grace_period, uint, 0644);
MODULE_PARM_DESC(grace_period,
		 "Seconds a closed listener stays readable (default 60)");

LIST_HEAD(nq_list);
static DEFINE_SPINLOCK(nq_lock);
static struct hlist_head *nq_hash;
static unsigned int nq_hash_bits;
static unsigned int nq_count;		/* under nq_lock */
static u64 nq_seq;			/* under nq_lock */
static DEFINE_PER_CPU(u64, nq_untracked);

static void nq_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(nq_reaper, nq_reap);

unsigned int nq_grace_period(void)
{
	return READ_ONCE(grace_period);
}

unsigned int nq_max_listeners(void)
{
	return READ_ONCE(max_listeners);
}

void nq_untracked_inc(void)
{
	this_cpu_inc(nq_untracked);
}

u64 nq_untracked_read(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(&nq_untracked, cpu));
	return sum;
}

unsigned int nq_listeners_count(void)
{
	return READ_ONCE(nq_count);
}

static struct hlist_head *nq_bucket(u64 cookie)
{
	return &nq_hash[hash_64(cookie, nq_hash_bits)];
}

/* Caller holds rcu_read_lock() or nq_lock. */
struct nq_listener *nq_listener_lookup(u64 cookie)
{
	struct nq_listener *l;

	hlist_for_each_entry_rcu(l, nq_bucket(cookie), node,
				 lockdep_is_held(&nq_lock))
		if (l->cookie == cookie)
			return l;
	return NULL;
}

void nq_peak_update(u32 *peak, u32 val)
{
	u32 old = READ_ONCE(*peak);

	while (val > old && !try_cmpxchg(peak, &old, val))
		;
}

static void nq_listener_sum(const struct nq_listener *l,
			    struct nq_counters *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct nq_counters *c = per_cpu_ptr(l->ctr, cpu);

		for (i = 0; i < ARRAY_SIZE(c->v); i++)
			sum->v[i] += READ_ONCE(c->v[i]);
	}
}

/*
 * Counters since the last reset. The base is read first: it was summed
 * before it was stored, and counters only grow, so the difference never
 * goes below zero.
 */
void nq_listener_read(const struct nq_listener *l, struct nq_counters *val)
{
	u64 base[ARRAY_SIZE(l->base)];
	unsigned int seq;
	int i;

	do {
		seq = read_seqcount_begin(&l->base_seq);
		memcpy(base, l->base, sizeof(base));
	} while (read_seqcount_retry(&l->base_seq, seq));
	nq_listener_sum(l, val);
	for (i = 0; i < ARRAY_SIZE(base); i++)
		val->v[i] -= base[i];
}

/* Caller holds nq_lock. */
static void __nq_listener_reset(struct nq_listener *l)
{
	struct nq_counters now;

	nq_listener_sum(l, &now);
	write_seqcount_begin(&l->base_seq);
	memcpy(l->base, now.v, sizeof(l->base));
	write_seqcount_end(&l->base_seq);
	WRITE_ONCE(l->acceptq_peak_reset, 0);
	WRITE_ONCE(l->synq_peak_reset, 0);
	WRITE_ONCE(l->reset_at, jiffies | 1);
}

void nq_listeners_reset(bool (*match)(const struct nq_listener *l,
				      const void *arg),
			const void *arg)
{
	struct nq_listener *l;
	unsigned long flags;

	spin_lock_irqsave(&nq_lock, flags);
	list_for_each_entry(l, &nq_list, list)
		if (match(l, arg))
			__nq_listener_reset(l);
	spin_unlock_irqrestore(&nq_lock, flags);
}

static void nq_listener_free_rcu(struct rcu_head *head)
{
	struct nq_listener *l = container_of(head, struct nq_listener, rcu);

	free_percpu(l->ctr);
	kfree(l);
}

/* Caller holds nq_lock. */
static void nq_listener_remove(struct nq_listener *l)
{
	hlist_del_rcu(&l->node);
	list_del_rcu(&l->list);
	WRITE_ONCE(nq_count, nq_count - 1);
	call_rcu(&l->rcu, nq_listener_free_rcu);
}

/*
 * Update what may change while a socket listens (a second listen() changes
 * the backlog; an autobound listener gets its port after the LISTEN event).
 * @sk is the listener or a child cloned from it, which carries its copy.
 */
void nq_listener_refresh(struct nq_listener *l, const struct sock *sk)
{
	u32 backlog = READ_ONCE(sk->sk_max_ack_backlog);
	u16 port = inet_sk(sk)->inet_num;

	if (READ_ONCE(l->backlog) != backlog) {
		WRITE_ONCE(l->backlog, backlog);
		/* Changed by a listen() nqstat did not see: unknown. */
		WRITE_ONCE(l->backlog_source, 0);
	}
	if (port && READ_ONCE(l->port) != port)
		WRITE_ONCE(l->port, port);
}

/* Caller holds nq_lock. See struct nq_listener for the rules. */
static void __nq_listener_attach(struct nq_listener *l, const struct sock *sk)
{
	if (!rcu_access_pointer(l->sk) &&
	    l->state == NQSTAT_LISTENER_LISTENING &&
	    sock_flag(sk, SOCK_RCU_FREE))
		rcu_assign_pointer(l->sk, (struct sock *)sk);
}

void nq_listener_attach(struct nq_listener *l, const struct sock *sk)
{
	unsigned long flags;

	if (likely(rcu_access_pointer(l->sk)) ||
	    READ_ONCE(l->state) != NQSTAT_LISTENER_LISTENING)
		return;
	spin_lock_irqsave(&nq_lock, flags);
	__nq_listener_attach(l, sk);
	spin_unlock_irqrestore(&nq_lock, flags);
}

/*
 * What bound the backlog: listen() clamps its argument to somaxconn before
 * the LISTEN event, so a limit below somaxconn is the application's own.
 */
static u8 nq_backlog_source(const struct sock *sk)
{
	u32 somaxconn = READ_ONCE(sock_net(sk)->core.sysctl_somaxconn);

	return READ_ONCE(sk->sk_max_ack_backlog) < somaxconn ?
	       NQSTAT_BACKLOG_APPLICATION : NQSTAT_BACKLOG_SOMAXCONN;
}

static void nq_listener_identify(struct nq_listener *l, const struct sock *sk)
{
	struct net *net = sock_net(sk);

	write_pnet(&l->net, net);
	l->netns_cookie = net->net_cookie;
	l->netns_ino = net->ns.inum;
	l->family = sk->sk_family;
	l->ifindex = READ_ONCE(sk->sk_bound_dev_if);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		l->addr = sk->sk_v6_rcv_saddr;
	else
#endif
		l->addr.s6_addr32[0] = sk->sk_rcv_saddr;
	l->port = inet_sk(sk)->inet_num;
	l->backlog = READ_ONCE(sk->sk_max_ack_backlog);
}

static struct nq_listener *nq_listener_alloc(u64 cookie, const struct sock *sk)
{
	struct nq_listener *l;

	l = kzalloc(sizeof(*l), GFP_ATOMIC);
	if (!l)
		return NULL;
	l->ctr = alloc_percpu_gfp(struct nq_counters, GFP_ATOMIC);
	if (!l->ctr) {
		kfree(l);
		return NULL;
	}
	l->cookie = cookie;
	l->state = NQSTAT_LISTENER_LISTENING;
	seqcount_spinlock_init(&l->base_seq, &nq_lock);
	nq_listener_identify(l, sk);
	return l;
}

/*
 * @sk entered LISTEN. First sight allocates (the only allocation the probes
 * ever make); a socket that listens again after a shutdown() keeps its
 * cookie, so its entry is revived with its counters. Entries are made here
 * only: the LISTEN -> CLOSE transition is then sure to find them, which
 * nq_listener_attach() relies on.
 */
void nq_listener_open(const struct sock *sk)
{
	u64 cookie = nq_sock_cookie(sk);
	struct nq_listener *l;
	unsigned long flags;

	spin_lock_irqsave(&nq_lock, flags);
	l = nq_listener_lookup(cookie);
	if (l) {
		nq_listener_refresh(l, sk);
		WRITE_ONCE(l->state, NQSTAT_LISTENER_LISTENING);
	} else {
		if (nq_count >= nq_max_listeners())
			goto untracked;
		l = nq_listener_alloc(cookie, sk);
		if (!l)
			goto untracked;
		l->seq = ++nq_seq;
		hlist_add_head_rcu(&l->node, nq_bucket(cookie));
		list_add_tail_rcu(&l->list, &nq_list);
		WRITE_ONCE(nq_count, nq_count + 1);
	}
	WRITE_ONCE(l->backlog_source, nq_backlog_source(sk));
	__nq_listener_attach(l, sk);
	spin_unlock_irqrestore(&nq_lock, flags);
	return;
untracked:
	spin_unlock_irqrestore(&nq_lock, flags);
	nq_untracked_inc();
}

/*
 * The entry of listener @sk, or NULL (counted as untracked): a listener
 * that was already listening when the module was loaded is not tracked.
 * Caller holds rcu_read_lock().
 */
struct nq_listener *nq_listener_get(const struct sock *sk)
{
	u64 cookie = atomic64_read(&sk->sk_cookie);
	struct nq_listener *l = cookie ? nq_listener_lookup(cookie) : NULL;

	if (unlikely(!l)) {
		nq_untracked_inc();
		return NULL;
	}
	nq_listener_attach(l, sk);
	return l;
}

/* @sk leaves LISTEN: keep the entry readable for the grace period. */
void nq_listener_close(const struct sock *sk)
{
	struct nq_listener *l;
	unsigned long flags;

	spin_lock_irqsave(&nq_lock, flags);
	l = nq_listener_lookup(atomic64_read(&sk->sk_cookie));
	if (l) {
		RCU_INIT_POINTER(l->sk, NULL);
		WRITE_ONCE(l->closed_at, jiffies);
		/* Pairs with smp_load_acquire() in readers of the state. */
		smp_store_release(&l->state, NQSTAT_LISTENER_CLOSED);
		queue_delayed_work(system_wq, &nq_reaper, HZ);
	}
	spin_unlock_irqrestore(&nq_lock, flags);
}

/* Caller holds nq_lock. */
static bool nq_listener_expired(const struct nq_listener *l)
{
	unsigned long grace = (unsigned long)nq_grace_period() * HZ;

	return l->state == NQSTAT_LISTENER_CLOSED &&
	       time_after_eq(jiffies, l->closed_at + grace);
}

static void nq_reap(struct work_struct *work)
{
	struct nq_listener *l, *tmp;
	bool pending = false;
	unsigned long flags;

	spin_lock_irqsave(&nq_lock, flags);
	list_for_each_entry_safe(l, tmp, &nq_list, list) {
		if (nq_listener_expired(l))
			nq_listener_remove(l);
		else if (l->state == NQSTAT_LISTENER_CLOSED)
			pending = true;
	}
	spin_unlock_irqrestore(&nq_lock, flags);
	if (pending)
		queue_delayed_work(system_wq, &nq_reaper, HZ);
}

/* The namespace is going away: its listeners go with it. */
static void __net_exit nq_net_exit(struct net *net)
{
	struct nq_listener *l, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&nq_lock, flags);
	list_for_each_entry_safe(l, tmp, &nq_list, list)
		if (net_eq(read_pnet(&l->net), net))
			nq_listener_remove(l);
	spin_unlock_irqrestore(&nq_lock, flags);
}

static struct pernet_operations nq_net_ops = {
	.exit = nq_net_exit,
};

int nq_listeners_init(void)
{
	int err;

	/* About four entries a bucket when the table is full. */
	nq_hash_bits = clamp(ilog2(max(max_listeners, 4U) / 4), 4, 20);
	nq_hash = kvcalloc(1U << nq_hash_bits, sizeof(*nq_hash), GFP_KERNEL);
	if (!nq_hash)
		return -ENOMEM;
	err = register_pernet_subsys(&nq_net_ops);
	if (err)
		kvfree(nq_hash);
	return err;
}

/* Called once no probe can run any more (after the hooks are detached). */
void nq_listeners_exit(void)
{
	struct nq_listener *l, *tmp;
	unsigned long flags;

	cancel_delayed_work_sync(&nq_reaper);
	unregister_pernet_subsys(&nq_net_ops);
	spin_lock_irqsave(&nq_lock, flags);
	list_for_each_entry_safe(l, tmp, &nq_list, list)
		nq_listener_remove(l);
	spin_unlock_irqrestore(&nq_lock, flags);
	rcu_barrier();
	kvfree(nq_hash);
}
