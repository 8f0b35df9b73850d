// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: TIME_WAIT churn and local port exhaustion,
 * and the sysctls that govern them, as the namespace sees them. Connection
 * tracking pressure: conntrack.c; the reply: netlink_netns.c.
 */

#include <linux/jiffies.h>
#include <net/ip.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "netns.h"
#include "peak.h"

static unsigned int nq_net_id __read_mostly;

/* Every namespace nqstat has set up, in the order it did (dumps of all). */
static LIST_HEAD(nq_nets);
static DEFINE_SPINLOCK(nq_nets_lock);

static const int nq_net_mib[NQ_NET_MIBS] = {
	[NQ_MIB_TW] = LINUX_MIB_TIMEWAITED,
	[NQ_MIB_TW_KILLED] = LINUX_MIB_TIMEWAITKILLED,
	[NQ_MIB_TW_OVERFLOW] = LINUX_MIB_TCPTIMEWAITOVERFLOW,
};

/*
 * NULL before .init and from .exit on. Caller holds rcu_read_lock() or
 * runs with preemption off.
 */
struct nq_net *nq_net(const struct net *net)
{
	struct nq_net *nn = net_generic(net, nq_net_id);

	return nn && READ_ONCE(nn->ctr) ? nn : NULL;
}

/*
 * The slot itself, for listeners.c: valid from .init (it adds entries only
 * after nq_net() said so) until the namespace's generic data is freed,
 * after every pernet exit method, its own among them.
 */
struct nq_net *nq_net_slot(const struct net *net)
{
	return net_generic(net, nq_net_id);
}

/*
 * The live namespace after @prev (NULL: the first), referenced; NULL at the
 * end. @prev is referenced by the caller, hence still listed: a dump of all
 * namespaces goes through them in one pass, whatever their number.
 */
struct net *nq_netns_next(struct net *prev)
{
	struct nq_net *nn;
	struct net *got = NULL;

	rcu_read_lock();
	nn = prev ? net_generic(prev, nq_net_id) :
		    container_of(&nq_nets, struct nq_net, node);
	list_for_each_entry_continue_rcu(nn, &nq_nets, node) {
		got = maybe_get_net(read_pnet(&nn->net));
		if (got)	/* NULL if dying: the next one */
			break;
	}
	rcu_read_unlock();
	return got;
}

static unsigned long nq_net_mib_delta(const struct net *net,
				      const struct nq_net *nn, int i)
{
	return nq_mib_sum(net, nq_net_mib[i]) - nn->mib_base[i];
}

/*
 * Runs after the namespace's MIBs exist (ipv4 registered its pernet
 * operations long before): a namespace made now starts from zero, one that
 * existed when the module was loaded from its counts then.
 */
static int __net_init nq_net_init(struct net *net)
{
	struct nq_net *nn = net_generic(net, nq_net_id);
	struct nq_net_counters __percpu *ctr;
	int i;

	for (i = 0; i < NQ_NET_MIBS; i++)
		nn->mib_base[i] = nq_mib_sum(net, nq_net_mib[i]);
	ctr = alloc_percpu_gfp(struct nq_net_counters, GFP_KERNEL_ACCOUNT);
	if (!ctr)
		return -ENOMEM;
	write_pnet(&nn->net, net);
	INIT_LIST_HEAD(&nn->listeners);
	INIT_LIST_HEAD(&nn->closed);
	spin_lock(&nq_nets_lock);
	list_add_tail_rcu(&nn->node, &nq_nets);
	spin_unlock(&nq_nets_lock);
	/* Publishes the rest: pairs with READ_ONCE() in nq_net(). */
	smp_store_release(&nn->ctr, ctr);
	return 0;
}

/* After the listeners' exit (registered later, so run earlier). */
static void __net_exit nq_net_exit(struct net *net)
{
	struct nq_net *nn = net_generic(net, nq_net_id);

	spin_lock(&nq_nets_lock);
	list_del_rcu(&nn->node);
	spin_unlock(&nq_nets_lock);
	nn->ctr_free = nn->ctr;
	WRITE_ONCE(nn->ctr, NULL);
}

/* One grace period for the whole batch: then no probe holds a pointer. */
static void __net_exit nq_net_exit_batch(struct list_head *net_exit_list)
{
	struct net *net;

	synchronize_rcu();
	list_for_each_entry(net, net_exit_list, exit_list) {
		struct nq_net *nn = net_generic(net, nq_net_id);

		free_percpu(nn->ctr_free);
		nn->ctr_free = NULL;
	}
}

static struct pernet_operations nq_netns_ops = {
	.init = nq_net_init,
	.exit = nq_net_exit,
	.exit_batch = nq_net_exit_batch,
	.id = &nq_net_id,
	.size = sizeof(struct nq_net),
};

/* Caller holds a reference on the namespace: @nn->ctr is set. */
u64 nq_net_read(const struct nq_net *nn, enum nq_net_counter id)
{
	struct nq_net_counters __percpu *ctr = READ_ONCE(nn->ctr);
	u64 sum = 0;
	int cpu;

	if (!ctr)
		return 0;
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(ctr, cpu)->v[id]);
	return sum;
}

/*
 * @sk leaves FIN_WAIT2 or CLOSING for CLOSE: tcp_time_wait() has just put a
 * TIME_WAIT socket in its place (scheduled, so counted), unless
 * tcp_max_tw_buckets was reached, or the socket timed out or was reset.
 * Either way the count is one the namespace had: a peak candidate.
 */
void nq_net_tw_seen(const struct sock *sk)
{
	const struct net *net = sock_net(sk);
	struct nq_net *nn;

	rcu_read_lock();
	nn = nq_net(net);
	if (nn)
		nq_peak_update(&nn->tw_peak, nq_tw_count(net));
	rcu_read_unlock();
}

static void nq_sysctls_read(const struct net *net, struct nq_netns_info *ni)
{
	int low, high;

	inet_get_local_port_range(net, &low, &high);
	ni->tcp_max_tw_buckets = nq_max_tw_buckets(net);
	ni->port_range_low = low;
	ni->port_range_high = high;
	ni->tcp_tw_reuse = READ_ONCE(net->ipv4.sysctl_tcp_tw_reuse);
	ni->tcp_timestamps = READ_ONCE(net->ipv4.sysctl_tcp_timestamps);
	ni->tcp_fin_timeout = READ_ONCE(net->ipv4.sysctl_tcp_fin_timeout) / HZ;
}

/*
 * TIME_WAIT sockets created are those the kernel schedules, counted by it
 * as TW or TWKilled by their timeout (__inet_twsk_schedule()); overflows,
 * TCPTimeWaitOverflow (tcp_time_wait()).
 */
static void nq_net_counters_read(const struct net *net,
				 const struct nq_net *nn,
				 struct nq_netns_info *ni)
{
	ni->tw_created = nq_net_mib_delta(net, nn, NQ_MIB_TW) +
			 nq_net_mib_delta(net, nn, NQ_MIB_TW_KILLED);
	ni->tw_overflows = nq_net_mib_delta(net, nn, NQ_MIB_TW_OVERFLOW);
	ni->connect_port_exhausted =
		nq_net_read(nn, NQ_NET_CONNECT_PORT_EXHAUSTED);
	ni->connect_syn_retransmits =
		nq_net_read(nn, NQ_NET_CONNECT_SYN_RETRANSMITS);
	ni->connect_failed_retried =
		nq_net_read(nn, NQ_NET_CONNECT_FAILED_RETRIED);
	ni->connect_failed_retried_ms =
		nq_net_read(nn, NQ_NET_CONNECT_FAILED_RETRIED_MS);
	ni->connect_failed_unretried =
		nq_net_read(nn, NQ_NET_CONNECT_FAILED_UNRETRIED);
	ni->connect_closed = nq_net_read(nn, NQ_NET_CONNECT_CLOSED);
	ni->tw_peak = READ_ONCE(nn->tw_peak);
}

/*
 * Caller holds a reference on @net. Returns nqstat's state of it, which
 * stays set for as long as the reference is held (.exit has not run), or
 * NULL if nqstat has none (set up before the module was).
 */
struct nq_net *nq_netns_read(struct net *net, struct nq_netns_info *ni)
{
	struct nq_net *nn;

	memset(ni, 0, sizeof(*ni));
	rcu_read_lock();
	nn = nq_net(net);
	rcu_read_unlock();
	ni->inode = net->ns.inum;
	ni->cookie = net->net_cookie;
	ni->tw_count = nq_tw_count(net);
	if (nn)
		nq_net_counters_read(net, nn, ni);
	nq_sysctls_read(net, ni);
	return nn;
}

/* Before nq_listeners_init(): its pernet exit then runs before ours. */
int nq_netns_init(void)
{
	return register_pernet_subsys(&nq_netns_ops);
}

/* Called once no probe can run any more. */
void nq_netns_exit(void)
{
	unregister_pernet_subsys(&nq_netns_ops);
}
