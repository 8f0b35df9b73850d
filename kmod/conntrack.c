// SPDX-License-Identifier: GPL-2.0
/*
 * Connection tracking pressure per network namespace, without depending on
 * nf_conntrack: nqstat loads and works without it, attaches its two
 * kretprobes in it while it is loaded (module notifications), and reads its
 * figures under a module reference taken for the read only, so that it
 * never keeps nf_conntrack from being unloaded.
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
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netlink.h>
#include <uapi/linux/nqstat.h>

#include "compat.h"
#include "conntrack.h"
#include "hooks.h"
#include "listeners.h"
#include "netns.h"

#define NQ_CT_MODULE "nf_conntrack"

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

	/* true: it evicted entries (the kernel counts them, early_drop). */
	if ((int)regs_return_value(regs))
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

struct kretprobe nq_krp_ct_early_drop = {
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

struct kretprobe nq_krp_ct_alloc = {
	.entry_handler = nq_ct_net_entry,
	.handler = nq_ct_alloc_ret,
	.data_size = sizeof(struct net *),
};

/* Serialises attaching and detaching with the notifications. */
static DEFINE_MUTEX(nq_ct_lock);

static void nq_ct_attach(void)
{
	u32 (*count)(const struct net *net) = symbol_get(nf_conntrack_count);

	if (!count)
		return;		/* not loaded, or going */
	WRITE_ONCE(nq_ct_count_fn, count);
	symbol_put(nf_conntrack_count);
	nq_hooks_attach_module(NQ_CT_MODULE);
}

static void nq_ct_detach(void)
{
	nq_hooks_detach_module(NQ_CT_MODULE);
	WRITE_ONCE(nq_ct_count_fn, NULL);
}

static int nq_ct_module_event(struct notifier_block *nb, unsigned long state,
			      void *data)
{
	const struct module *mod = data;

	if (strcmp(mod->name, NQ_CT_MODULE))
		return NOTIFY_DONE;
	mutex_lock(&nq_ct_lock);
	if (state == MODULE_STATE_LIVE)
		nq_ct_attach();
	else if (state == MODULE_STATE_GOING)
		nq_ct_detach();
	mutex_unlock(&nq_ct_lock);
	return NOTIFY_OK;
}

static struct notifier_block nq_ct_module_nb = {
	.notifier_call = nq_ct_module_event,
};

/* The kernel's own statistics of @net, summed over the CPUs. */
struct nq_ct_stats {
	u64 early_drop, insert_failed, drop;
};

static void nq_ct_stats_sum(const struct net *net, struct nq_ct_stats *s)
{
	const struct ip_conntrack_stat __percpu *stat = READ_ONCE(net->ct.stat);
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct ip_conntrack_stat *st = per_cpu_ptr(stat, cpu);

		s->early_drop += READ_ONCE(st->early_drop);
		s->insert_failed += READ_ONCE(st->insert_failed);
		s->drop += READ_ONCE(st->drop);
	}
}

/* nf_conntrack's figures for @net. */
static int nq_ct_loaded_fill(struct sk_buff *skb, const struct net *net,
			     struct nq_net *nn, u32 n, u32 max, u32 buckets)
{
	struct nq_ct_stats st;

	nq_ct_stats_sum(net, &st);
	if (nla_put_u8(skb, NQSTAT_A_CT_STATE, NQSTAT_CT_LOADED) ||
	    nla_put_u32(skb, NQSTAT_A_CT_COUNT, n) ||
	    nla_put_u32(skb, NQSTAT_A_CT_LIMIT, max) ||
	    nla_put_u32(skb, NQSTAT_A_CT_BUCKETS, buckets) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_CT_EARLY_DROPS, st.early_drop,
			      NQSTAT_A_CT_PAD) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_CT_INSERT_FAILED, st.insert_failed,
			      NQSTAT_A_CT_PAD) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_CT_DROPS, st.drop, NQSTAT_A_CT_PAD))
		return -EMSGSIZE;
	if (!nn)
		return 0;
	if (nq_hook_attached(NQ_HOOK_CT_ALLOC)) {
		/* The count now was seen too. */
		nq_peak_update(&nn->ct_peak, n);
		if (nla_put_u32(skb, NQSTAT_A_CT_PEAK, READ_ONCE(nn->ct_peak)))
			return -EMSGSIZE;
	}
	if (nq_hook_attached(NQ_HOOK_CT_EARLY_DROP) &&
	    nla_put_u64_64bit(skb, NQSTAT_A_CT_TABLE_FULL_DROPS,
			      nq_net_read(nn, NQ_NET_CT_TABLE_FULL),
			      NQSTAT_A_CT_PAD))
		return -EMSGSIZE;
	return 0;
}

/*
 * Under references on nf_conntrack taken for this read only. Its figures
 * are used once it is initialised (nf_ct_hook is set at the end of its
 * init and cleared at the start of its exit), when every live namespace
 * has its statistics.
 */
int nq_ct_fill(struct sk_buff *skb, const struct net *net, struct nq_net *nn)
{
	u32 (*count)(const struct net *net) = symbol_get(nf_conntrack_count);
	unsigned int *max = symbol_get(nf_conntrack_max);
	unsigned int *buckets = symbol_get(nf_conntrack_htable_size);
	struct nlattr *nest = nla_nest_start(skb, NQSTAT_A_NETNS_CT);
	int err;

	if (!nest)
		err = -EMSGSIZE;
	else if (count && max && buckets && rcu_access_pointer(nf_ct_hook) &&
		 READ_ONCE(net->ct.stat))
		err = nq_ct_loaded_fill(skb, net, nn, count(net),
					READ_ONCE(*max), READ_ONCE(*buckets));
	else
		err = nla_put_u8(skb, NQSTAT_A_CT_STATE, NQSTAT_CT_NOT_LOADED);
	if (buckets)
		symbol_put(nf_conntrack_htable_size);
	if (max)
		symbol_put(nf_conntrack_max);
	if (count)
		symbol_put(nf_conntrack_count);
	if (err) {
		if (nest)
			nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int nq_ct_init(void)
{
	int err = register_module_notifier(&nq_ct_module_nb);

	if (err)
		return err;
	/* Already loaded: no notification will come. Twice is harmless. */
	mutex_lock(&nq_ct_lock);
	nq_ct_attach();
	mutex_unlock(&nq_ct_lock);
	return 0;
}

/* Before nq_hooks_detach(): no notification may attach hooks after it. */
void nq_ct_exit(void)
{
	unregister_module_notifier(&nq_ct_module_nb);
	mutex_lock(&nq_ct_lock);
	nq_ct_detach();
	mutex_unlock(&nq_ct_lock);
}
