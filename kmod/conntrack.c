// SPDX-License-Identifier: GPL-2.0
/*
 * Connection tracking pressure per network namespace, without depending on
 * nf_conntrack: nqstat loads and works without it, has its two kretprobes
 * in it attached while it is loaded (hooks.c, struct nq_module_hooks), and
 * reads its figures under a module reference taken for the read only, so
 * that it never keeps nf_conntrack from being unloaded. This file counts
 * and reads; netlink_netns.c reports.
 *
 * No tracepoint marks a full table. __nf_conntrack_alloc() calls
 * early_drop() exactly when the namespace's count went above
 * nf_conntrack_max, and early_drop() returns false exactly when it could
 * evict nothing: then the packet is dropped ("table full, dropping
 * packet"). The kernel keeps no peak of the count: the return of a
 * successful __nf_conntrack_alloc() is where the count grows.
 */

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <net/netfilter/nf_conntrack.h>
#include <uapi/linux/nqstat.h>

#include "compat.h"
#include "conntrack.h"
#include "hooks.h"
#include "listeners.h"
#include "netns.h"
#include "peak.h"

/*
 * nf_conntrack_count() while the probes are attached: the probes run in
 * nf_conntrack's own code, so it is there; no reference is held.
 */
static u32 (*nq_ct_count_fn)(const struct net *net);

static int nq_ct_net_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(struct net **)ri->data = (struct net *)nq_arg(regs, 0);
	return 0;
}

static int nq_ct_early_drop_ret(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct net *net = *(struct net **)ri->data;
	struct nq_net *nn;

	/*
	 * true: it evicted entries (the kernel counts them, early_drop). A
	 * bool: only the low byte of the return register is defined.
	 */
	if ((u8)regs_return_value(regs))
		return 0;
	rcu_read_lock();
	nn = nq_net(net);
	if (nn)
		nq_net_inc(nn, NQ_NET_CT_TABLE_FULL);
	else
		nq_untracked_inc();
	rcu_read_unlock();
	return 0;
}

static struct kretprobe nq_krp_ct_early_drop = {
	.entry_handler = nq_ct_net_entry,
	.handler = nq_ct_early_drop_ret,
	.data_size = sizeof(struct net *),
};

static int nq_ct_alloc_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct net *net = *(struct net **)ri->data;
	u32 (*count)(const struct net *net) = READ_ONCE(nq_ct_count_fn);
	struct nq_net *nn;

	if (IS_ERR_OR_NULL((void *)regs_return_value(regs)) || !count)
		return 0;
	rcu_read_lock();
	nn = nq_net(net);
	if (nn)
		nq_peak_update(&nn->ct_peak, count(net));
	rcu_read_unlock();
	return 0;
}

static struct kretprobe nq_krp_ct_alloc = {
	.entry_handler = nq_ct_net_entry,
	.handler = nq_ct_alloc_ret,
	.data_size = sizeof(struct net *),
};

/* Under the hooks' lock, as its module goes live or at registration. */
static bool nq_ct_live(void)
{
	u32 (*count)(const struct net *net) = symbol_get(nf_conntrack_count);

	if (!count)
		return false;	/* not loaded, or going */
	WRITE_ONCE(nq_ct_count_fn, count);
	symbol_put(nf_conntrack_count);
	return true;
}

/* Under the hooks' lock, once the probes are detached. */
static void nq_ct_going(void)
{
	WRITE_ONCE(nq_ct_count_fn, NULL);
}

static const struct nq_hook_probe nq_ct_probes[] = {
	{ .id = NQ_HOOK_CT_EARLY_DROP, .krp = &nq_krp_ct_early_drop },
	{ .id = NQ_HOOK_CT_ALLOC, .krp = &nq_krp_ct_alloc },
};

static struct nq_module_hooks nq_ct_hooks = {
	.module = "nf_conntrack",
	.live = nq_ct_live,
	.going = nq_ct_going,
	.probes = nq_ct_probes,
	.nprobes = ARRAY_SIZE(nq_ct_probes),
};

/* The kernel's own statistics of @net, summed over the CPUs. */
static void nq_ct_stats_sum(const struct net *net, struct nq_ct_info *ct)
{
	const struct ip_conntrack_stat __percpu *stat = READ_ONCE(net->ct.stat);
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct ip_conntrack_stat *st = per_cpu_ptr(stat, cpu);

		ct->early_drop += READ_ONCE(st->early_drop);
		ct->insert_failed += READ_ONCE(st->insert_failed);
		ct->drop += READ_ONCE(st->drop);
	}
}

/* nf_conntrack's figures for @net, and ours. */
static void nq_ct_loaded_read(const struct net *net, struct nq_net *nn,
			      struct nq_ct_info *ct)
{
	ct->state = NQSTAT_CT_LOADED;
	nq_ct_stats_sum(net, ct);
	if (!nn)
		return;
	if (nq_hook_attached(NQ_HOOK_CT_ALLOC)) {
		/* The count now was seen too. */
		nq_peak_update(&nn->ct_peak, ct->count);
		ct->has_peak = true;
		ct->peak = READ_ONCE(nn->ct_peak);
	}
	if (nq_hook_attached(NQ_HOOK_CT_EARLY_DROP)) {
		ct->has_table_full_drops = true;
		ct->table_full_drops = nq_net_read(nn, NQ_NET_CT_TABLE_FULL);
	}
}

/*
 * Under references on nf_conntrack taken for this read only. Its figures
 * are used once it is initialised (nf_ct_hook is set at the end of its
 * init and cleared at the start of its exit), when every live namespace
 * has its statistics.
 */
void nq_ct_read(const struct net *net, struct nq_net *nn,
		struct nq_ct_info *ct)
{
	u32 (*count)(const struct net *net) = symbol_get(nf_conntrack_count);
	unsigned int *max = symbol_get(nf_conntrack_max);
	unsigned int *buckets = symbol_get(nf_conntrack_htable_size);

	memset(ct, 0, sizeof(*ct));
	ct->state = NQSTAT_CT_NOT_LOADED;
	if (count && max && buckets && rcu_access_pointer(nf_ct_hook) &&
	    READ_ONCE(net->ct.stat)) {
		ct->count = count(net);
		ct->limit = READ_ONCE(*max);
		ct->buckets = READ_ONCE(*buckets);
		nq_ct_loaded_read(net, nn, ct);
	}
	if (buckets)
		symbol_put(nf_conntrack_htable_size);
	if (max)
		symbol_put(nf_conntrack_max);
	if (count)
		symbol_put(nf_conntrack_count);
}

int nq_ct_init(void)
{
	return nq_hooks_module_register(&nq_ct_hooks);
}

/* Before nq_hooks_detach(): no notification may attach hooks after it. */
void nq_ct_exit(void)
{
	nq_hooks_module_unregister(&nq_ct_hooks);
}
