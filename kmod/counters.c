// SPDX-License-Identifier: GPL-2.0
/*
 * A listener's counters as they are read and reset: the sum over the CPUs
 * (or the shared atomics of an entry without a per-CPU slot) minus the
 * base the last reset stored. Counters only grow and a base is summed
 * before it is stored, so a reading never goes below zero; readers take
 * no lock (the base is under a seqcount, written under nq_lock).
 */

#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>

#include "counters.h"
#include "listeners.h"
#include "netns.h"

static void nq_listener_sum(const struct nq_listener *l,
			    struct nq_counters *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	if (!l->slot.ctr) {
		for (i = 0; i < ARRAY_SIZE(sum->v); i++)
			sum->v[i] = atomic64_read(&l->shared[i]);
		return;
	}
	for_each_possible_cpu(cpu) {
		const struct nq_counters *c = per_cpu_ptr(l->slot.ctr, cpu);

		for (i = 0; i < ARRAY_SIZE(c->v); i++)
			sum->v[i] += READ_ONCE(c->v[i]);
	}
}

/* Counters since the last reset. The base is read first (see above). */
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

/* @now was summed before: counters only grow, readers never go below. */
static void nq_listener_set_base(struct nq_listener *l,
				 const struct nq_counters *now)
{
	unsigned long flags;

	spin_lock_irqsave(&nq_lock, flags);
	write_seqcount_begin(&l->base_seq);
	memcpy(l->base, now->v, sizeof(l->base));
	write_seqcount_end(&l->base_seq);
	spin_unlock_irqrestore(&nq_lock, flags);
	WRITE_ONCE(l->acceptq_peak_reset, 0);
	WRITE_ONCE(l->synq_peak_reset, 0);
	WRITE_ONCE(l->reset_at, get_jiffies_64());
}

/* Entries looked at per RCU read section of a reset. */
#define NQ_RESET_BATCH 256

/*
 * Reset the matching listeners of @net (referenced by the caller): only
 * its own entries are walked, their counters summed outside nq_lock, which
 * is held for one entry's base at a time; the walk lets others run every
 * NQ_RESET_BATCH entries, resuming after the last one it walked.
 */
void nq_listeners_reset(const struct net *net,
			bool (*match)(const struct nq_listener *l,
				      const void *arg),
			const void *arg)
{
	u64 last_seq = 0, last_cookie = 0;
	struct nq_counters now;
	struct nq_listener *l;
	struct nq_net *nn;
	bool more;
	int n;

	do {
		more = false;
		n = 0;
		rcu_read_lock();
		nn = nq_net(net);
		if (!nn) {
			rcu_read_unlock();
			return;
		}
		for (l = nq_listener_resume(nn, last_cookie, last_seq); l;
		     l = nq_listener_next(nn, l)) {
			if (++n > NQ_RESET_BATCH) {
				more = true;
				break;
			}
			last_seq = l->seq;
			last_cookie = l->cookie;
			if (!match(l, arg))
				continue;
			nq_listener_sum(l, &now);
			nq_listener_set_base(l, &now);
		}
		rcu_read_unlock();
		cond_resched();
	} while (more);
}
