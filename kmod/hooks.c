// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks nqstat attaches to, found at load time by name: tracepoints
 * first, wrappers in each listener's own function tables where the kernel
 * has no tracepoint (af_ops.c, accept.c), kretprobes for the rest. A hook
 * the running kernel does not have leaves the module working without it:
 * the counters that depend on it are reported as unavailable, with the
 * reason. Hooks in another module (nf_conntrack) are attached while that
 * module is loaded, as kernel/module notifications say: the file that holds
 * them registers them (struct nq_module_hooks; conntrack.c). The probes are
 * given by the files that hold them: this file calls none. The module
 * parameter disable_hooks leaves hooks out on purpose: their counters are
 * then unavailable too, and their cost gone (Documentation/performance.md).
 */

#include <linux/errno.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <uapi/linux/nqstat.h>

#include "hooks.h"

struct nq_hook {
	const char *name;		/* as shown to users */
	const char *module;		/* NULL: in the kernel image */
	u8 kind;			/* enum nqstat_hook_kind */
	const char *tp_name;		/* tracepoint */
	void *probe;			/* given with nq_hook_probe */
	struct tracepoint *tp;
	struct kretprobe *krp;		/* kretprobe, given likewise */
	int err;			/* negative errno when not attached */
	const char *reason;
	const char *unloaded;		/* reason while its module is not */
};

#define NQ_TRACEPOINT(id, sys, event)					\
	[id] = {							\
		.name = #sys ":" #event,				\
		.kind = NQSTAT_HOOK_TRACEPOINT,				\
		.tp_name = #event,					\
	}

/* A wrapper in every tracked listener's table: attached with the tables. */
#define NQ_TABLE(id, table, entry)					\
	[id] = {							\
		.name = #table ":" #entry,				\
		.kind = NQSTAT_HOOK_TABLE,				\
	}

#define NQ_KRETPROBE(id, sym)						\
	[id] = {							\
		.name = #sym,						\
		.kind = NQSTAT_HOOK_KRETPROBE,				\
	}

/* A kretprobe on @sym of module @mod, by its kallsyms name "mod:sym". */
#define NQ_MODULE_KRETPROBE(id, mod, sym)				\
	[id] = {							\
		.name = #mod ":" #sym,					\
		.module = #mod,						\
		.kind = NQSTAT_HOOK_KRETPROBE,				\
		.err = -ENOENT,						\
		.reason = "module " #mod " not loaded",			\
		.unloaded = "module " #mod " not loaded",		\
	}

static char *disable_hooks = "";
module_param(disable_hooks, charp, 0444);
MODULE_PARM_DESC(disable_hooks,
		 "Hooks not to attach, by the names nqstat status shows, comma-separated; the counters that need them are then unavailable (default none)");

/*
 * Serialises attaching and detaching module hooks, the notifications that
 * do it, and reading the hooks.
 */
static DEFINE_MUTEX(nq_hooks_lock);

static struct nq_hook nq_hooks[NQ_HOOK_COUNT] = {
	NQ_TRACEPOINT(NQ_HOOK_INET_SOCK_SET_STATE, sock, inet_sock_set_state),
	NQ_TRACEPOINT(NQ_HOOK_TCP_RETRANSMIT_SYNACK, tcp, tcp_retransmit_synack),
	NQ_TRACEPOINT(NQ_HOOK_TCP_RETRANSMIT_SKB, tcp, tcp_retransmit_skb),
	NQ_TABLE(NQ_HOOK_CONN_REQUEST, af_ops, conn_request),
	NQ_TABLE(NQ_HOOK_SYN_RECV_SOCK, af_ops, syn_recv_sock),
	NQ_TABLE(NQ_HOOK_ACCEPT, proto_ops, accept),
	NQ_KRETPROBE(NQ_HOOK_TCP_PEER_IS_PROVEN, tcp_peer_is_proven),
	NQ_MODULE_KRETPROBE(NQ_HOOK_CT_EARLY_DROP, nf_conntrack, early_drop),
	NQ_MODULE_KRETPROBE(NQ_HOOK_CT_ALLOC, nf_conntrack,
			    __nf_conntrack_alloc),
};

/* BIT(enum nq_hook_id) of the hooks attached now, for the hot paths. */
unsigned long nq_hooks_on;

static void nq_hook_set_attached(struct nq_hook *h, bool attached)
{
	if (attached)
		set_bit(h - nq_hooks, &nq_hooks_on);
	else
		clear_bit(h - nq_hooks, &nq_hooks_on);
}

static bool nq_hook_on(const struct nq_hook *h)
{
	return nq_hook_attached(h - nq_hooks);
}

#define NQ_BIT(id) BIT(NQ_HOOK_##id)

/* The hooks each counter of enum nqstat_counter needs, all of them. */
static const u32 nq_counter_hooks[__NQSTAT_CTR_MAX] = {
	[NQSTAT_CTR_HANDSHAKES_COMPLETED] = NQ_BIT(SYN_RECV_SOCK),
	[NQSTAT_CTR_ACCEPTED] = NQ_BIT(ACCEPT),
	[NQSTAT_CTR_SYN_QUEUE_DROPS] = NQ_BIT(CONN_REQUEST),
	[NQSTAT_CTR_SYN_COOKIES_SENT] = NQ_BIT(CONN_REQUEST),
	[NQSTAT_CTR_SYN_BACKLOG_DROPS] = NQ_BIT(CONN_REQUEST) |
					  NQ_BIT(TCP_PEER_IS_PROVEN),
	[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = NQ_BIT(CONN_REQUEST),
	[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = NQ_BIT(SYN_RECV_SOCK),
	[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = NQ_BIT(SYN_RECV_SOCK),
	[NQSTAT_CTR_OTHER_DROPS] = NQ_BIT(CONN_REQUEST) |
				   NQ_BIT(TCP_PEER_IS_PROVEN) |
				   NQ_BIT(SYN_RECV_SOCK),
	[NQSTAT_CTR_SYNACK_RETRANSMITS] = NQ_BIT(TCP_RETRANSMIT_SYNACK),
};

/*
 * What each hook feeds, as NQSTAT_A_HOOK_FEED strings "<object>.<field>":
 * the counters by nq_counter_hooks[], then the other fields that need a
 * hook (the same facts netlink.c, netlink_netns.c and conntrack.c test).
 */
static const char *const nq_counter_feeds[__NQSTAT_CTR_MAX] = {
	[NQSTAT_CTR_HANDSHAKES_COMPLETED] = "listener.handshakes_completed",
	[NQSTAT_CTR_ACCEPTED] = "listener.accepted",
	[NQSTAT_CTR_SYN_QUEUE_DROPS] = "listener.syn_queue_drops",
	[NQSTAT_CTR_SYN_COOKIES_SENT] = "listener.syn_cookies_sent",
	[NQSTAT_CTR_SYN_BACKLOG_DROPS] = "listener.syn_backlog_drops",
	[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = "listener.accept_queue_drops_syn",
	[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = "listener.accept_queue_overflows",
	[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] =
		"listener.accept_queue_overflow_resets",
	[NQSTAT_CTR_OTHER_DROPS] = "listener.other_drops",
	[NQSTAT_CTR_SYNACK_RETRANSMITS] = "listener.synack_retransmits",
};

static const struct {
	const char *feed;
	u32 hooks;
} nq_other_feeds[] = {
	{ "listener.acceptq_peak", NQ_BIT(SYN_RECV_SOCK) },
	{ "listener.acceptq_peak_reset", NQ_BIT(SYN_RECV_SOCK) },
	{ "listener.synq_peak", NQ_BIT(CONN_REQUEST) },
	{ "listener.synq_peak_reset", NQ_BIT(CONN_REQUEST) },
	{ "netns.tw_peak", NQ_BIT(INET_SOCK_SET_STATE) },
	{ "netns.connect_port_exhausted", NQ_BIT(INET_SOCK_SET_STATE) },
	{ "netns.connect_syn_retransmits", NQ_BIT(TCP_RETRANSMIT_SKB) },
	{ "netns.connect_failed_retried", NQ_BIT(INET_SOCK_SET_STATE) },
	{ "netns.connect_failed_retried_ms", NQ_BIT(INET_SOCK_SET_STATE) },
	{ "netns.connect_failed_unretried", NQ_BIT(INET_SOCK_SET_STATE) },
	{ "netns.connect_closed", NQ_BIT(INET_SOCK_SET_STATE) },
	{ "ct.peak", NQ_BIT(CT_ALLOC) },
	{ "ct.table_full_drops", NQ_BIT(CT_EARLY_DROP) },
};

/* The counters first, in their order, then the other fields. */
const char *nq_hook_feed_next(enum nq_hook_id id, unsigned int *pos)
{
	u32 bit = BIT(id);
	unsigned int i;

	for (; *pos < __NQSTAT_CTR_MAX; (*pos)++)
		if (nq_counter_hooks[*pos] & bit)
			return nq_counter_feeds[(*pos)++];
	for (; *pos - __NQSTAT_CTR_MAX < ARRAY_SIZE(nq_other_feeds); (*pos)++) {
		i = *pos - __NQSTAT_CTR_MAX;
		if (nq_other_feeds[i].hooks & bit) {
			(*pos)++;
			return nq_other_feeds[i].feed;
		}
	}
	return NULL;
}

static void nq_find_tracepoint(struct tracepoint *tp, void *priv)
{
	struct nq_hook *h = priv;

	if (!h->tp && !strcmp(tp->name, h->tp_name))
		h->tp = tp;
}

static void nq_tracepoint_attach(struct nq_hook *h)
{
	for_each_kernel_tracepoint(nq_find_tracepoint, h);
	if (!h->tp) {
		h->err = -ENOENT;
		h->reason = "tracepoint not present in this kernel";
		return;
	}
	h->err = tracepoint_probe_register(h->tp, h->probe, NULL);
	if (h->err)
		h->reason = "tracepoint_probe_register() failed";
}

static void nq_kretprobe_attach(struct nq_hook *h)
{
	/* A kretprobe is registered again once its module is back. */
	h->krp->kp.addr = NULL;
	h->krp->kp.flags = 0;
	h->krp->kp.symbol_name = h->name;
	h->err = register_kretprobe(h->krp);
	if (h->err == -ENOENT && h->module)
		h->reason = "function not present in its module (not loaded, inlined or renamed)";
	else if (h->err == -ENOENT)
		h->reason = "function not present in this kernel (inlined or renamed)";
	else if (h->err)
		h->reason = "register_kretprobe() failed";
}

/* @len bytes at @name name a hook: its entry, or NULL. */
static struct nq_hook *nq_hook_named(const char *name, size_t len)
{
	struct nq_hook *h;

	for (h = nq_hooks; h < nq_hooks + NQ_HOOK_COUNT; h++)
		if (strlen(h->name) == len && !strncmp(h->name, name, len))
			return h;
	return NULL;
}

/* The hooks disable_hooks names, BIT(enum nq_hook_id); set once at load. */
static u32 nq_hooks_disabled;

static bool nq_hook_disabled(const struct nq_hook *h)
{
	return nq_hooks_disabled & BIT(h - nq_hooks);
}

/*
 * Reads disable_hooks (read-only once loaded) into nq_hooks_disabled.
 * Refuses a name that is no hook, or the state tracepoint, without which no
 * listener would be tracked at all.
 */
int nq_hooks_parse_params(void)
{
	const char *p = disable_hooks, *end;
	struct nq_hook *h;

	for (; p && *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		h = nq_hook_named(p, end - p);
		if (!h) {
			pr_err("disable_hooks: no hook \"%.*s\" (nqstat status lists them)\n",
			       (int)(end - p), p);
			return -EINVAL;
		}
		if (h == &nq_hooks[NQ_HOOK_INET_SOCK_SET_STATE]) {
			pr_err("disable_hooks: %s cannot be disabled: it finds the listeners\n",
			       h->name);
			return -EINVAL;
		}
		nq_hooks_disabled |= BIT(h - nq_hooks);
	}
	return 0;
}

static void nq_hook_attach(struct nq_hook *h)
{
	if (nq_hook_disabled(h)) {
		h->err = -ECANCELED;
		h->reason = "disabled by the module parameter disable_hooks";
		nq_hook_set_attached(h, false);
		return;
	}
	if (h->kind == NQSTAT_HOOK_TRACEPOINT)
		nq_tracepoint_attach(h);
	else if (h->kind == NQSTAT_HOOK_KRETPROBE)
		nq_kretprobe_attach(h);
	else
		h->err = 0;	/* installed with each listener's tables */
	nq_hook_set_attached(h, !h->err);
	if (!nq_hook_on(h))
		pr_warn("hook %s unavailable (%d): %s\n", h->name, h->err,
			h->reason);
}

/* Caller holds nq_hooks_lock, or runs before any notification can. */
static void nq_hooks_set_probes(const struct nq_hook_probe *probes,
				unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		nq_hooks[probes[i].id].probe = probes[i].tp_probe;
		nq_hooks[probes[i].id].krp = probes[i].krp;
	}
}

/* The hooks in the kernel image. */
void nq_hooks_attach(const struct nq_hook_probe *probes, unsigned int n)
{
	struct nq_hook *h;

	nq_hooks_set_probes(probes, n);

	/*
	 * Tracepoints last: the state hook installs the tables of a listener
	 * as it starts, with the table hooks as they are then.
	 */
	for (h = nq_hooks; h < nq_hooks + NQ_HOOK_COUNT; h++)
		if ((!h->module || nq_hook_disabled(h)) &&
		    h->kind != NQSTAT_HOOK_TRACEPOINT)
			nq_hook_attach(h);
	for (h = nq_hooks; h < nq_hooks + NQ_HOOK_COUNT; h++)
		if (h->kind == NQSTAT_HOOK_TRACEPOINT)
			nq_hook_attach(h);
}

/*
 * The hooks of @m, once its module is loaded and usable; those attached
 * already stay. Caller holds nq_hooks_lock.
 */
static void nq_module_attach(struct nq_module_hooks *m)
{
	struct nq_hook *h;
	unsigned int i;

	if (!m->live())
		return;		/* not loaded, or going */
	for (i = 0; i < m->nprobes; i++) {
		h = &nq_hooks[m->probes[i].id];
		if (!nq_hook_on(h))
			nq_hook_attach(h);
	}
}

/*
 * Before @m's module code goes away. Returns once no probe in it runs.
 * Caller holds nq_hooks_lock.
 */
static void nq_module_detach(struct nq_module_hooks *m)
{
	struct kretprobe *krps[NQ_HOOK_COUNT];
	struct nq_hook *h;
	unsigned int i;
	int n = 0;

	for (i = 0; i < m->nprobes; i++) {
		h = &nq_hooks[m->probes[i].id];
		if (!nq_hook_on(h))
			continue;
		krps[n++] = h->krp;
		nq_hook_set_attached(h, false);
		h->err = -ENOENT;
		h->reason = h->unloaded;
	}
	if (n)
		unregister_kretprobes(krps, n);
	m->going();
}

static int nq_module_event(struct notifier_block *nb, unsigned long state,
			   void *data)
{
	struct nq_module_hooks *m = container_of(nb, struct nq_module_hooks,
						 nb);
	const struct module *mod = data;

	if (strcmp(mod->name, m->module))
		return NOTIFY_DONE;
	mutex_lock(&nq_hooks_lock);
	if (state == MODULE_STATE_LIVE)
		nq_module_attach(m);
	else if (state == MODULE_STATE_GOING)
		nq_module_detach(m);
	mutex_unlock(&nq_hooks_lock);
	return NOTIFY_OK;
}

int nq_hooks_module_register(struct nq_module_hooks *m)
{
	int err;

	mutex_lock(&nq_hooks_lock);
	nq_hooks_set_probes(m->probes, m->nprobes);
	mutex_unlock(&nq_hooks_lock);
	m->nb.notifier_call = nq_module_event;
	err = register_module_notifier(&m->nb);
	if (err)
		return err;
	/* Already loaded: no notification will come. Twice is harmless. */
	mutex_lock(&nq_hooks_lock);
	nq_module_attach(m);
	mutex_unlock(&nq_hooks_lock);
	return 0;
}

/* No notification attaches @m's hooks after it. */
void nq_hooks_module_unregister(struct nq_module_hooks *m)
{
	unregister_module_notifier(&m->nb);
	mutex_lock(&nq_hooks_lock);
	nq_module_detach(m);
	mutex_unlock(&nq_hooks_lock);
}

/* Returns once no probe runs any more. */
void nq_hooks_detach(void)
{
	struct kretprobe *krps[NQ_HOOK_COUNT];
	struct nq_hook *h;
	int n = 0;

	mutex_lock(&nq_hooks_lock);
	for (h = nq_hooks; h < nq_hooks + NQ_HOOK_COUNT; h++) {
		if (!nq_hook_on(h))
			continue;
		if (h->kind == NQSTAT_HOOK_TRACEPOINT)
			WARN_ON(tracepoint_probe_unregister(h->tp, h->probe,
							    NULL));
		else if (h->kind == NQSTAT_HOOK_KRETPROBE)
			krps[n++] = h->krp;
		nq_hook_set_attached(h, false);
	}
	/* One RCU grace period for all of them, not one each. */
	if (n)
		unregister_kretprobes(krps, n);
	mutex_unlock(&nq_hooks_lock);
	tracepoint_synchronize_unregister();
}

bool nq_hooks_attached(u32 mask)
{
	return (READ_ONCE(nq_hooks_on) & mask) == mask;
}

bool nq_counter_available(int counter)
{
	if (counter <= NQSTAT_CTR_PAD || counter > NQSTAT_CTR_MAX)
		return false;
	return nq_hooks_attached(nq_counter_hooks[counter]);
}

/* Events a kretprobe lost: no free instance, or a probe already running. */
static u64 nq_hook_missed(const struct nq_hook *h)
{
	if (h->kind != NQSTAT_HOOK_KRETPROBE || !nq_hook_on(h))
		return 0;
	return (u64)READ_ONCE(h->krp->nmissed) + READ_ONCE(h->krp->kp.nmissed);
}

void nq_hooks_read(struct nq_hook_info info[NQ_HOOK_COUNT])
{
	const struct nq_hook *h;
	int i;

	mutex_lock(&nq_hooks_lock);
	for (i = 0; i < NQ_HOOK_COUNT; i++) {
		h = &nq_hooks[i];
		info[i] = (struct nq_hook_info) {
			.name = h->name,
			.reason = h->reason,
			.missed = nq_hook_missed(h),
			.err = h->err,
			.kind = h->kind,
			.attached = nq_hook_on(h),
		};
	}
	mutex_unlock(&nq_hooks_lock);
}
