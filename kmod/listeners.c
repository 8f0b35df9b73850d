// SPDX-License-Identifier: GPL-2.0
/*
 * The table of TCP listeners: an rhashtable keyed by socket cookie for the
 * probes' lock-free lookups, and an RCU list in insertion order for dumps.
 * Writers (a listener seen for the first time, the reaper, a namespace going
 * away) serialise on nq_lock; readers only take rcu_read_lock().
 */

#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/rhashtable.h>
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
static struct rhashtable nq_table;
static unsigned int nq_count;		/* under nq_lock */
static u64 nq_seq;			/* under nq_lock */
static DEFINE_PER_CPU(u64, nq_untracked);

static void nq_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(nq_reaper, nq_reap);

static const struct rhashtable_params nq_params = {
	.key_len = sizeof(u64),
	.key_offset = offsetof(struct nq_listener, cookie),
	.head_offset = offsetof(struct nq_listener, node),
	.automatic_shrinking = true,
};

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

struct nq_listener *nq_listener_lookup(u64 cookie)
{
	return rhashtable_lookup_fast(&nq_table, &cookie, nq_params);
}

void nq_listener_sum(const struct nq_listener *l, struct nq_counters *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct nq_counters *c = per_cpu_ptr(l->ctr, cpu);

		for (i = 0; i < ARRAY_SIZE(c->v); i++)
			sum->v[i] += READ_ONCE(c->v[i]);
	}
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
	rhashtable_remove_fast(&nq_table, &l->node, nq_params);
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

	if (READ_ONCE(l->backlog) != backlog)
		WRITE_ONCE(l->backlog, backlog);
	if (port && READ_ONCE(l->port) != port)
		WRITE_ONCE(l->port, port);
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
	nq_listener_identify(l, sk);
	return l;
}

/*
 * @sk entered LISTEN. First sight allocates (the only allocation the probes
 * ever make); a socket that listens again after a shutdown() keeps its
 * cookie, so its entry is revived with its counters. Runs once per listen(),
 * so it may take nq_lock, which also keeps a revival from racing the reaper.
 */
void nq_listener_open(const struct sock *sk)
{
	u64 cookie = nq_sock_cookie(sk);
	struct nq_listener *l;

	spin_lock_bh(&nq_lock);
	l = nq_listener_lookup(cookie);
	if (l) {
		nq_listener_refresh(l, sk);
		WRITE_ONCE(l->state, NQSTAT_LISTENER_LISTENING);
		goto out;
	}
	if (nq_count >= nq_max_listeners())
		goto untracked;
	l = nq_listener_alloc(cookie, sk);
	if (!l)
		goto untracked;
	if (rhashtable_insert_fast(&nq_table, &l->node, nq_params)) {
		free_percpu(l->ctr);
		kfree(l);
		goto untracked;
	}
	l->seq = ++nq_seq;
	list_add_tail_rcu(&l->list, &nq_list);
	WRITE_ONCE(nq_count, nq_count + 1);
	goto out;
untracked:
	nq_untracked_inc();
out:
	spin_unlock_bh(&nq_lock);
}

/* @sk left LISTEN: keep the entry readable for the grace period. */
void nq_listener_close(const struct sock *sk)
{
	struct nq_listener *l;

	rcu_read_lock();
	l = nq_listener_lookup(atomic64_read(&sk->sk_cookie));
	if (l) {
		WRITE_ONCE(l->closed_at, jiffies);
		/* Pairs with smp_load_acquire() in nq_listener_expired(). */
		smp_store_release(&l->state, NQSTAT_LISTENER_CLOSED);
		queue_delayed_work(system_wq, &nq_reaper, HZ);
	}
	rcu_read_unlock();
}

static bool nq_listener_expired(const struct nq_listener *l)
{
	unsigned long grace = (unsigned long)nq_grace_period() * HZ;

	/* Pairs with smp_store_release() in nq_listener_close(). */
	return smp_load_acquire(&l->state) == NQSTAT_LISTENER_CLOSED &&
	       time_after_eq(jiffies, READ_ONCE(l->closed_at) + grace);
}

static void nq_reap(struct work_struct *work)
{
	struct nq_listener *l, *tmp;
	bool pending = false;

	spin_lock_bh(&nq_lock);
	list_for_each_entry_safe(l, tmp, &nq_list, list) {
		if (nq_listener_expired(l))
			nq_listener_remove(l);
		else if (READ_ONCE(l->state) == NQSTAT_LISTENER_CLOSED)
			pending = true;
	}
	spin_unlock_bh(&nq_lock);
	if (pending)
		queue_delayed_work(system_wq, &nq_reaper, HZ);
}

/* The namespace is going away: its listeners go with it. */
static void __net_exit nq_net_exit(struct net *net)
{
	struct nq_listener *l, *tmp;

	spin_lock_bh(&nq_lock);
	list_for_each_entry_safe(l, tmp, &nq_list, list)
		if (net_eq(read_pnet(&l->net), net))
			nq_listener_remove(l);
	spin_unlock_bh(&nq_lock);
}

static struct pernet_operations nq_net_ops = {
	.exit = nq_net_exit,
};

int nq_listeners_init(void)
{
	int err;

	err = rhashtable_init(&nq_table, &nq_params);
	if (err)
		return err;
	err = register_pernet_subsys(&nq_net_ops);
	if (err)
		rhashtable_destroy(&nq_table);
	return err;
}

/* Called once no probe can run any more (after tracepoint sync). */
void nq_listeners_exit(void)
{
	struct nq_listener *l, *tmp;

	cancel_delayed_work_sync(&nq_reaper);
	unregister_pernet_subsys(&nq_net_ops);
	spin_lock_bh(&nq_lock);
	list_for_each_entry_safe(l, tmp, &nq_list, list)
		nq_listener_remove(l);
	spin_unlock_bh(&nq_lock);
	rcu_barrier();
	rhashtable_destroy(&nq_table);
}
