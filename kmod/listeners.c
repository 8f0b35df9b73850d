// SPDX-License-Identifier: GPL-2.0
/*
 * The table of TCP listeners: a fixed-size RCU hash keyed by socket cookie,
 * and an RCU list in insertion order for dumps. Writers (a listener seen for
 * the first time, a close, a reset, the reaper, a namespace going away)
 * serialise on nq_lock, taken with interrupts off so that a probe in any
 * context may create an entry, and held for a bounded number of entries at
 * most (counters are summed outside it); readers only take rcu_read_lock().
 * The hooks on the connection path find their entry without a lookup: it
 * holds the listener's own function table (af_ops.c). When a listener is
 * tracked and when it stops being tracked is up to track.c.
 *
 * Each namespace holds at most half the table (nq_netns_share()), and
 * CLOSED entries, kept only to be read for grace_period, give way to new
 * listeners: a namespace at its share loses its own oldest CLOSED entry, a
 * full table its oldest CLOSED entry of any namespace. A listen()/close()
 * flood in one namespace thus never leaves another's new listener
 * untracked. Entries are charged to the memory cgroup of the task that
 * listens (SLAB_ACCOUNT); their per-CPU counters come from ctr_pool.c.
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
#include "netns.h"

#define NQ_MAX_LISTENERS_MIN 16
#define NQ_MAX_LISTENERS_MAX 1048576U
#define NQ_GRACE_PERIOD_MAX 86400

static unsigned int max_listeners = 65536;
/* The value the hash table was sized for at load: the most allowed since. */
static unsigned int nq_max_listeners_load;

static int nq_max_listeners_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < NQ_MAX_LISTENERS_MIN ||
	    v > NQ_MAX_LISTENERS_MAX) {
		pr_err("max_listeners: \"%s\" is not a number from %u to %u\n",
		       strim((char *)val), NQ_MAX_LISTENERS_MIN,
		       NQ_MAX_LISTENERS_MAX);
		return -EINVAL;
	}
	if (nq_max_listeners_load && v > nq_max_listeners_load) {
		pr_err("max_listeners: %u is above %u, the value at load that sized the table: reload the module to raise it\n",
		       v, nq_max_listeners_load);
		return -EINVAL;
	}
	WRITE_ONCE(max_listeners, v);
	return 0;
}

static const struct kernel_param_ops nq_max_listeners_ops = {
	.set = nq_max_listeners_set,
	.get = param_get_uint,
};

module_param_cb(max_listeners, &nq_max_listeners_ops, &max_listeners, 0644);
MODULE_PARM_DESC(max_listeners,
		 "Most listeners tracked at once, closed ones included, 16 to 1048576 (default 65536); a namespace holds at most half; at run time, at most the value at load");

static unsigned int grace_period = 60;

static int nq_grace_period_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v > NQ_GRACE_PERIOD_MAX) {
		pr_err("grace_period: \"%s\" is not a number of seconds from 0 to %u\n",
		       strim((char *)val), NQ_GRACE_PERIOD_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(grace_period, v);
	return 0;
}

static const struct kernel_param_ops nq_grace_period_ops = {
	.set = nq_grace_period_set,
	.get = param_get_uint,
};

module_param_cb(grace_period, &nq_grace_period_ops, &grace_period, 0644);
MODULE_PARM_DESC(grace_period,
		 "Seconds a closed listener stays readable, 0 to 86400 (default 60)");

LIST_HEAD(nq_list);
static LIST_HEAD(nq_closed);		/* CLOSED entries, oldest close first */
DEFINE_SPINLOCK(nq_lock);
static struct kmem_cache *nq_listener_cache;
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

/* The most entries one namespace may hold. */
unsigned int nq_netns_share(void)
{
	return nq_max_listeners() / 2;
}

unsigned int nq_listeners_count_net(const struct net *net)
{
	unsigned int n = 0;
	struct nq_net *nn;

	rcu_read_lock();
	nn = nq_net(net);
	if (nn)
		n = READ_ONCE(nn->nlisteners);
	rcu_read_unlock();
	return n;
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

/* A walk of @nn's entries (ns_node), or of all (list) when @nn is NULL. */
static struct nq_listener *nq_walk_entry(struct nq_net *nn,
					 struct list_head *pos)
{
	if (pos == (nn ? &nn->listeners : &nq_list))
		return NULL;
	return nn ? list_entry(pos, struct nq_listener, ns_node) :
		    list_entry(pos, struct nq_listener, list);
}

/* The entry after @l in the walk of @nn, or NULL. Under rcu_read_lock(). */
struct nq_listener *nq_listener_next(struct nq_net *nn,
				     struct nq_listener *l)
{
	struct list_head *pos = nn ? &l->ns_node : &l->list;

	return nq_walk_entry(nn, rcu_dereference(list_next_rcu(pos)));
}

/*
 * Where a walk in several RCU sections goes on (a dump's calls, a reset's
 * batches): after the entry of @cookie, the last one done, found through
 * the hash while it is listed (it leaves the hash and the lists at once,
 * and an entry unlinked during this section still leads on to live ones);
 * else, once it is gone, the first entry past @seq (the lists are in the
 * order of seq). @cookie 0: from the start. Under rcu_read_lock().
 */
struct nq_listener *nq_listener_resume(struct nq_net *nn, u64 cookie,
				       u64 seq)
{
	struct list_head *head = nn ? &nn->listeners : &nq_list;
	struct nq_listener *l = cookie ? nq_listener_lookup(cookie) : NULL;

	if (l && (!nn || l->nn == nn))
		return nq_listener_next(nn, l);
	l = nq_walk_entry(nn, rcu_dereference(list_next_rcu(head)));
	while (l && l->seq <= seq)
		l = nq_listener_next(nn, l);
	return l;
}

void nq_listener_free(struct nq_listener *l)
{
	if (l) {
		nq_ctr_put(&l->slot);
		kmem_cache_free(nq_listener_cache, l);
	}
}

static void nq_listener_free_rcu(struct rcu_head *head)
{
	nq_listener_free(container_of(head, struct nq_listener, rcu));
}

/*
 * A caller in process context may have read the entry's function table
 * just before it was taken back, and be preempted before using it: tasks
 * RCU waits for it; RCU for the hooks in softirq and the dumps.
 */
static void nq_listener_free_tasks_rcu(struct rcu_head *head)
{
	call_rcu(head, nq_listener_free_rcu);
}

/* Caller holds nq_lock. */
static void nq_closed_del(struct nq_listener *l)
{
	list_del(&l->closed);
	list_del(&l->ns_closed);
}

/* Caller holds nq_lock; the entry's table is installed nowhere. */
static void nq_listener_remove(struct nq_listener *l)
{
	hlist_del_rcu(&l->node);
	list_del_rcu(&l->list);
	list_del_rcu(&l->ns_node);
	if (l->state == NQSTAT_LISTENER_CLOSED)
		nq_closed_del(l);
	WRITE_ONCE(l->nn->nlisteners, l->nn->nlisteners - 1);
	WRITE_ONCE(nq_count, nq_count - 1);
	call_rcu_tasks(&l->rcu, nq_listener_free_tasks_rcu);
}

/* Caller holds nq_lock. Removes CLOSED entry @l, if any. */
static bool nq_evict(struct nq_listener *l)
{
	if (!l)
		return false;
	nq_listener_remove(l);
	return true;
}

/*
 * Room for one more entry of @nn, at the expense of CLOSED entries: the
 * namespace's own oldest first when it holds its share, the oldest of all
 * when the table is full. Caller holds nq_lock.
 */
static bool nq_make_room(struct nq_net *nn)
{
	if (nn->nlisteners >= nq_netns_share() &&
	    !nq_evict(list_first_entry_or_null(&nn->closed, struct nq_listener,
					       ns_closed)))
		return false;
	if (nq_count >= nq_max_listeners() &&
	    !nq_evict(list_first_entry_or_null(&nq_closed, struct nq_listener,
					       closed)))
		return false;
	return true;
}

/*
 * Update what may change while a socket listens (a second listen() changes
 * the backlog; an autobound listener gets its port after the LISTEN event).
 * @sk is the listener or a child cloned from it, which carries its copy.
 */
void __nq_listener_refresh(struct nq_listener *l, const struct sock *sk)
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
void __nq_listener_attach(struct nq_listener *l, const struct sock *sk)
{
	if (!rcu_access_pointer(l->sk) &&
	    l->state == NQSTAT_LISTENER_LISTENING &&
	    sock_flag(sk, SOCK_RCU_FREE))
		rcu_assign_pointer(l->sk, (struct sock *)sk);
}

void __nq_listener_attach_slow(struct nq_listener *l, const struct sock *sk)
{
	unsigned long flags;

	if (READ_ONCE(l->state) != NQSTAT_LISTENER_LISTENING)
		return;
	spin_lock_irqsave(&nq_lock, flags);
	__nq_listener_attach(l, sk);
	spin_unlock_irqrestore(&nq_lock, flags);
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

struct nq_listener *nq_listener_alloc(const struct sock *sk, gfp_t gfp)
{
	struct nq_listener *l;

	l = kmem_cache_zalloc(nq_listener_cache, gfp);
	if (!l)
		return NULL;
	nq_ctr_get(&l->slot, gfp, nq_max_listeners());
	l->state = NQSTAT_LISTENER_LISTENING;
	seqcount_spinlock_init(&l->base_seq, &nq_lock);
	nq_listener_identify(l, sk);
	return l;
}

/*
 * The entry of listener @sk, which is in LISTEN, or *@new inserted for it
 * (then *@new is NULL): a socket that listens again after a shutdown()
 * keeps its cookie, so its entry is revived with its counters. An entry
 * whose tables are installed (adopted and seen at LISTEN alike) is left as
 * it is. NULL when there is no room for @sk's namespace. Caller holds
 * nq_lock and lock_sock(@sk).
 */
struct nq_listener *nq_listener_insert(struct sock *sk,
				       struct nq_listener **new)
{
	u64 cookie = nq_sock_cookie(sk);
	struct nq_listener *l;
	struct nq_net *nn;

	lockdep_assert_held(&nq_lock);
	l = nq_listener_lookup(cookie);
	if (l) {
		if (l->wrapped)
			return l;
		/* Its namespace's exit has unwrapped it: it stays so. */
		if (l->nn->gone)
			return NULL;
		nq_listener_refresh(l, sk);
		if (l->state == NQSTAT_LISTENER_CLOSED)
			nq_closed_del(l);
		WRITE_ONCE(l->state, NQSTAT_LISTENER_LISTENING);
		return l;
	}
	rcu_read_lock();
	nn = nq_net(sock_net(sk));
	rcu_read_unlock();
	if (!*new || !nn || nn->gone || !nq_make_room(nn))
		return NULL;
	l = *new;
	*new = NULL;
	l->cookie = cookie;
	l->seq = ++nq_seq;
	l->nn = nn;
	hlist_add_head_rcu(&l->node, nq_bucket(cookie));
	list_add_tail_rcu(&l->list, &nq_list);
	list_add_tail_rcu(&l->ns_node, &nn->listeners);
	WRITE_ONCE(nn->nlisteners, nn->nlisteners + 1);
	WRITE_ONCE(nq_count, nq_count + 1);
	return l;
}

/*
 * The listener of entry @l left LISTEN, its tables taken back: the entry
 * stays readable for the grace period. Caller holds nq_lock.
 */
void nq_listener_closed(struct nq_listener *l)
{
	lockdep_assert_held(&nq_lock);
	RCU_INIT_POINTER(l->sk, NULL);
	if (l->state != NQSTAT_LISTENER_CLOSED) {
		WRITE_ONCE(l->closed_at, get_jiffies_64());
		list_add_tail(&l->closed, &nq_closed);
		list_add_tail(&l->ns_closed, &l->nn->closed);
		/* Pairs with smp_load_acquire() in readers. */
		smp_store_release(&l->state, NQSTAT_LISTENER_CLOSED);
	}
	queue_delayed_work(system_wq, &nq_reaper, HZ);
}

/* Entries removed per hold of nq_lock. */
#define NQ_REMOVE_BATCH 64

/* Caller holds nq_lock. */
static bool nq_listener_expired(const struct nq_listener *l)
{
	u64 grace = (u64)nq_grace_period() * HZ;

	return time_after_eq64(get_jiffies_64(), l->closed_at + grace);
}

/* CLOSED entries are in close order: only the expired ones are looked at. */
static void nq_reap(struct work_struct *work)
{
	struct nq_listener *l;
	unsigned long flags;
	bool more, pending;
	int n;

	do {
		spin_lock_irqsave(&nq_lock, flags);
		for (n = 0; n < NQ_REMOVE_BATCH; n++) {
			l = list_first_entry_or_null(&nq_closed,
						     struct nq_listener, closed);
			if (!l || !nq_listener_expired(l))
				break;
			nq_listener_remove(l);
		}
		more = n == NQ_REMOVE_BATCH;
		pending = !list_empty(&nq_closed);
		spin_unlock_irqrestore(&nq_lock, flags);
		cond_resched();
	} while (more);
	if (pending)
		queue_delayed_work(system_wq, &nq_reaper, HZ);
}

/*
 * Remove every entry of namespace @nn, which is going away and whose
 * listeners are all unwrapped, NQ_REMOVE_BATCH at a time.
 */
void nq_listeners_remove_net(struct nq_net *nn)
{
	struct nq_listener *l;
	unsigned long flags;
	bool more;
	int n;

	do {
		spin_lock_irqsave(&nq_lock, flags);
		for (n = 0; n < NQ_REMOVE_BATCH; n++) {
			l = list_first_entry_or_null(&nn->listeners,
						     struct nq_listener,
						     ns_node);
			if (!l)
				break;
			nq_listener_remove(l);
		}
		more = n == NQ_REMOVE_BATCH;
		spin_unlock_irqrestore(&nq_lock, flags);
		cond_resched();
	} while (more);
}

/* After nq_netns_init(): every namespace has its state. */
int nq_listeners_init(void)
{
	int err;

	nq_max_listeners_load = max_listeners;
	nq_listener_cache = KMEM_CACHE(nq_listener, SLAB_ACCOUNT);
	if (!nq_listener_cache)
		return -ENOMEM;
	/* About four entries a bucket when the table is full. */
	nq_hash_bits = clamp(ilog2(max(max_listeners, 4U) / 4), 4, 20);
	nq_hash = kvcalloc(1U << nq_hash_bits, sizeof(*nq_hash), GFP_KERNEL);
	if (!nq_hash)
		goto nomem;
	err = nq_ctr_pool_init(max_listeners);
	if (!err)
		return 0;
	kvfree(nq_hash);
	kmem_cache_destroy(nq_listener_cache);
	return err;
nomem:
	kmem_cache_destroy(nq_listener_cache);
	return -ENOMEM;
}

/* Called once no probe can run any more (after the hooks are detached). */
void nq_listeners_exit(void)
{
	struct nq_listener *l, *tmp;
	unsigned long flags;

	cancel_delayed_work_sync(&nq_reaper);
	spin_lock_irqsave(&nq_lock, flags);
	list_for_each_entry_safe(l, tmp, &nq_list, list)
		nq_listener_remove(l);
	spin_unlock_irqrestore(&nq_lock, flags);
	nq_rcu_barrier_tasks();
	rcu_barrier();
	nq_ctr_pool_exit();
	kvfree(nq_hash);
	kmem_cache_destroy(nq_listener_cache);
}
