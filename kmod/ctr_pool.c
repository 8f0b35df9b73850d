// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU counters of listeners, handed out without an allocation.
 *
 * A listener's entry is made at its LISTEN event, in a tracepoint (atomic
 * context). alloc_percpu_gfp(GFP_ATOMIC) there cost about 20,000
 * instructions a listen() on 6.1, twice the whole listen() of a
 * SO_REUSEPORT socket (Documentation/performance.md): the per-CPU allocator
 * searches its chunks under its global lock, and the search grows with
 * what it holds. Here counters come in chunks of NQ_POOL_CHUNK slots,
 * allocated ahead of need by a worker (GFP_KERNEL), and a listener takes a
 * free slot of a chunk under nq_pool_lock. A slot given back is zeroed on
 * every possible CPU and stays in its chunk.
 *
 * The worker keeps a target of free slots: it is asked for more when half
 * the target is left, and it runs on the high-priority workqueue of the
 * CPU that asked, so that it preempts a task calling listen() in a loop.
 * When a listener still finds the pool empty, the target doubles (up to
 * NQ_POOL_TARGET_MAX); when more than twice the target is free, wholly
 * free chunks go back to the allocator and the target halves. The pool
 * holds at most as many slots as the table may hold entries
 * (max_listeners, rounded up to a chunk). A listener that finds no free
 * slot counts in atomics of its own (listeners.h, nq_counter_add()):
 * exact all the same, and never untracked for want of counters.
 *
 * Memory cgroups: a chunk is charged to the memory cgroup of the task whose
 * listen() asked for the refill (set_active_memcg() in the worker), so a
 * task that floods listen() pays for the chunks it drains, give or take
 * the target (NQ_POOL_CHUNK x 96 bytes per possible CPU a chunk). Counters
 * allocated on their own are charged to their task, as the entries
 * themselves (SLAB_ACCOUNT).
 */

#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "ctr_pool.h"

#define NQ_POOL_CHUNK	64	/* slots a chunk */
#define NQ_POOL_TARGET	256	/* free slots the worker refills to ... */
#define NQ_POOL_TARGET_MAX 4096	/* ... doubled each time the pool ran dry */

struct nq_ctr_chunk {
	struct list_head list;		/* on one of the lists below */
	struct nq_counters __percpu *base;
	unsigned int nfree;
	u8 free[NQ_POOL_CHUNK];		/* indices of the free slots: a stack */
};

static DEFINE_SPINLOCK(nq_pool_lock);
/* Under nq_pool_lock: */
static LIST_HEAD(nq_pool_partial);	/* chunks with free and used slots */
static LIST_HEAD(nq_pool_empty);	/* chunks with every slot free */
static LIST_HEAD(nq_pool_full);		/* chunks without a free slot */
static unsigned int nq_pool_nfree;	/* free slots of all chunks */
static unsigned int nq_pool_nslots;	/* slots of all chunks */
static unsigned int nq_pool_most;	/* the most slots: max_listeners */
static unsigned int nq_pool_target = NQ_POOL_TARGET;
static bool nq_pool_dry;		/* a listener found no free slot */
static bool nq_pool_asked;		/* a refill is queued */
static bool nq_pool_closing;
static struct mem_cgroup *nq_pool_memcg; /* to charge the refill to */

static void nq_pool_work_fn(struct work_struct *work);
static DECLARE_WORK(nq_pool_work, nq_pool_work_fn);

static struct nq_ctr_chunk *nq_chunk_alloc(void)
{
	struct nq_ctr_chunk *chunk;
	unsigned int i;

	chunk = kzalloc(sizeof(*chunk), GFP_KERNEL_ACCOUNT);
	if (!chunk)
		return NULL;
	chunk->base = __alloc_percpu_gfp(NQ_POOL_CHUNK *
					 sizeof(struct nq_counters),
					 __alignof__(struct nq_counters),
					 GFP_KERNEL_ACCOUNT);
	if (!chunk->base) {
		kfree(chunk);
		return NULL;
	}
	for (i = 0; i < NQ_POOL_CHUNK; i++)
		chunk->free[i] = NQ_POOL_CHUNK - 1 - i;
	chunk->nfree = NQ_POOL_CHUNK;
	return chunk;
}

static void nq_chunk_free(struct nq_ctr_chunk *chunk)
{
	free_percpu(chunk->base);
	kfree(chunk);
}

/* Caller holds nq_pool_lock. Whether the pool wants another chunk. */
static bool nq_pool_short(void)
{
	return nq_pool_nfree < nq_pool_target &&
	       nq_pool_nslots + NQ_POOL_CHUNK <= nq_pool_most;
}

/* Caller holds nq_pool_lock. Whether wholly free chunks may go back. */
static bool nq_pool_surplus(void)
{
	return nq_pool_nfree >= 2 * nq_pool_target + NQ_POOL_CHUNK &&
	       !list_empty(&nq_pool_empty);
}

/* Adds chunks until the pool has its target of free slots or is whole. */
static void nq_pool_fill(void)
{
	struct nq_ctr_chunk *chunk;
	unsigned long flags;
	bool more;

	spin_lock_irqsave(&nq_pool_lock, flags);
	more = nq_pool_short();
	spin_unlock_irqrestore(&nq_pool_lock, flags);
	while (more) {
		chunk = nq_chunk_alloc();
		if (!chunk)
			return;
		spin_lock_irqsave(&nq_pool_lock, flags);
		list_add_tail(&chunk->list, &nq_pool_empty);
		nq_pool_nfree += NQ_POOL_CHUNK;
		nq_pool_nslots += NQ_POOL_CHUNK;
		more = nq_pool_short();
		spin_unlock_irqrestore(&nq_pool_lock, flags);
	}
}

/*
 * Gives wholly free chunks back while more than twice the target is free,
 * and halves the target then: a burst of listen() raised it, its close()
 * calls bring it back down.
 */
static void nq_pool_trim(void)
{
	struct nq_ctr_chunk *chunk;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&nq_pool_lock, flags);
		chunk = NULL;
		if (nq_pool_surplus()) {
			chunk = list_first_entry(&nq_pool_empty,
						 struct nq_ctr_chunk, list);
			nq_pool_target = max(nq_pool_target / 2,
					     NQ_POOL_TARGET);
		}
		if (chunk) {
			list_del(&chunk->list);
			nq_pool_nfree -= NQ_POOL_CHUNK;
			nq_pool_nslots -= NQ_POOL_CHUNK;
		}
		spin_unlock_irqrestore(&nq_pool_lock, flags);
		if (!chunk)
			return;
		nq_chunk_free(chunk);
		cond_resched();
	}
}

static void nq_pool_work_fn(struct work_struct *work)
{
	struct mem_cgroup *memcg, *old;
	unsigned long flags;

	spin_lock_irqsave(&nq_pool_lock, flags);
	memcg = nq_pool_memcg;
	nq_pool_memcg = NULL;
	nq_pool_asked = false;
	if (nq_pool_dry)
		nq_pool_target = min(2 * nq_pool_target, NQ_POOL_TARGET_MAX);
	nq_pool_dry = false;
	spin_unlock_irqrestore(&nq_pool_lock, flags);
	nq_pool_trim();
	old = set_active_memcg(memcg);
	nq_pool_fill();
	set_active_memcg(old);
	mem_cgroup_put(memcg);
}

/* Queues a refill charged to the current task. Not under nq_pool_lock. */
static void nq_pool_ask(void)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_mm(current->mm);
	struct mem_cgroup *old;
	unsigned long flags;

	spin_lock_irqsave(&nq_pool_lock, flags);
	old = nq_pool_memcg;
	nq_pool_memcg = memcg;
	if (!nq_pool_closing)
		queue_work(system_highpri_wq, &nq_pool_work);
	spin_unlock_irqrestore(&nq_pool_lock, flags);
	mem_cgroup_put(old);
}

/*
 * Per-CPU counters for a new listener into @slot, zeroed: a free slot of
 * the pool; else, when @gfp may sleep (a listener adopted at load),
 * allocated on their own; else none (slot->ctr NULL: the listener counts
 * in atomics of its own). @most: the most entries the table may hold.
 */
void nq_ctr_get(struct nq_ctr_slot *slot, gfp_t gfp, unsigned int most)
{
	struct nq_ctr_chunk *chunk;
	unsigned long flags;
	bool ask = false;

	slot->ctr = NULL;
	spin_lock_irqsave(&nq_pool_lock, flags);
	nq_pool_most = round_up(most, NQ_POOL_CHUNK);
	chunk = list_first_entry_or_null(&nq_pool_partial,
					 struct nq_ctr_chunk, list);
	if (!chunk)
		chunk = list_first_entry_or_null(&nq_pool_empty,
						 struct nq_ctr_chunk, list);
	if (chunk) {
		if (chunk->nfree == NQ_POOL_CHUNK)
			list_move(&chunk->list, &nq_pool_partial);
		slot->ctr = chunk->base + chunk->free[--chunk->nfree];
		if (!chunk->nfree)
			list_move(&chunk->list, &nq_pool_full);
		nq_pool_nfree--;
	} else {
		nq_pool_dry = true;
	}
	if (nq_pool_nfree < nq_pool_target / 2 && !nq_pool_asked &&
	    !nq_pool_closing &&
	    nq_pool_nslots + NQ_POOL_CHUNK <= nq_pool_most) {
		nq_pool_asked = true;
		ask = true;
	}
	spin_unlock_irqrestore(&nq_pool_lock, flags);
	if (ask)
		nq_pool_ask();
	slot->chunk = chunk;
	if (!chunk && gfpflags_allow_blocking(gfp))
		slot->ctr = alloc_percpu_gfp(struct nq_counters,
					     gfp | __GFP_ACCOUNT);
}

/* Gives back the counters of @slot (any context but hard interrupts). */
void nq_ctr_put(struct nq_ctr_slot *slot)
{
	struct nq_ctr_chunk *chunk = slot->chunk;
	unsigned long flags;
	bool trim;
	int cpu;

	if (!chunk) {
		free_percpu(slot->ctr);		/* NULL: nothing */
		slot->ctr = NULL;
		return;
	}
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(slot->ctr, cpu), 0, sizeof(*slot->ctr));
	spin_lock_irqsave(&nq_pool_lock, flags);
	chunk->free[chunk->nfree++] = slot->ctr - chunk->base;
	if (chunk->nfree == 1)
		list_move(&chunk->list, &nq_pool_partial);
	if (chunk->nfree == NQ_POOL_CHUNK)
		list_move(&chunk->list, &nq_pool_empty);
	nq_pool_nfree++;
	trim = nq_pool_surplus() && !nq_pool_closing;
	if (trim)
		queue_work(system_highpri_wq, &nq_pool_work);
	spin_unlock_irqrestore(&nq_pool_lock, flags);
	slot->chunk = NULL;
	slot->ctr = NULL;
}

/* The first chunks, charged to the task that loads the module. */
int nq_ctr_pool_init(unsigned int most)
{
	nq_pool_most = round_up(most, NQ_POOL_CHUNK);
	nq_pool_fill();
	return nq_pool_nslots ? 0 : -ENOMEM;
}

/* Once every slot is back (no entry left, RCU callbacks run). */
void nq_ctr_pool_exit(void)
{
	struct nq_ctr_chunk *chunk, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&nq_pool_lock, flags);
	nq_pool_closing = true;
	spin_unlock_irqrestore(&nq_pool_lock, flags);
	cancel_work_sync(&nq_pool_work);
	WARN_ON_ONCE(!list_empty(&nq_pool_full) ||
		     !list_empty(&nq_pool_partial));
	list_splice_init(&nq_pool_partial, &nq_pool_empty);
	list_splice_init(&nq_pool_full, &nq_pool_empty);
	list_for_each_entry_safe(chunk, tmp, &nq_pool_empty, list)
		nq_chunk_free(chunk);
	INIT_LIST_HEAD(&nq_pool_empty);
	nq_pool_nfree = 0;
	nq_pool_nslots = 0;
	mem_cgroup_put(nq_pool_memcg);
	nq_pool_memcg = NULL;
}
