// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks nqstat attaches to, found at load time by name. A hook the
 * running kernel does not have leaves the module working without it: the
 * counters that depend on it are reported as unavailable, with the reason.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <net/netlink.h>
#include <uapi/linux/nqstat.h>

#include "hooks.h"

struct nq_hook {
	const char *name;		/* as shown to users */
	const char *tp_name;		/* tracepoint name */
	void *probe;
	u8 kind;			/* enum nqstat_hook_kind */
	struct tracepoint *tp;
	bool attached;
	int err;			/* negative errno when not attached */
	const char *reason;
};

static struct nq_hook nq_hooks[NQ_HOOK_COUNT] = {
	[NQ_HOOK_INET_SOCK_SET_STATE] = {
		.name = "sock:inet_sock_set_state",
		.tp_name = "inet_sock_set_state",
		.probe = nq_probe_inet_sock_set_state,
		.kind = NQSTAT_HOOK_TRACEPOINT,
	},
};

/* The hook each counter of enum nqstat_counter depends on. */
static const u8 nq_counter_hook[__NQSTAT_CTR_MAX] = {
	[NQSTAT_CTR_HANDSHAKES_COMPLETED] = NQ_HOOK_INET_SOCK_SET_STATE,
};

static void nq_find_tracepoint(struct tracepoint *tp, void *priv)
{
	struct nq_hook *h = priv;

	if (!h->tp && !strcmp(tp->name, h->tp_name))
		h->tp = tp;
}

static void nq_hook_attach(struct nq_hook *h)
{
	for_each_kernel_tracepoint(nq_find_tracepoint, h);
	if (!h->tp) {
		h->err = -ENOENT;
		h->reason = "tracepoint not present in this kernel";
		return;
	}
	h->err = tracepoint_probe_register(h->tp, h->probe, NULL);
	if (h->err) {
		h->reason = "tracepoint_probe_register() failed";
		return;
	}
	h->attached = true;
}

void nq_hooks_attach(void)
{
	int i;

	for (i = 0; i < NQ_HOOK_COUNT; i++) {
		nq_hook_attach(&nq_hooks[i]);
		if (!nq_hooks[i].attached)
			pr_warn("hook %s unavailable (%d): %s\n",
				nq_hooks[i].name, nq_hooks[i].err,
				nq_hooks[i].reason);
	}
}

/* Returns once no probe runs any more. */
void nq_hooks_detach(void)
{
	int i;

	for (i = 0; i < NQ_HOOK_COUNT; i++) {
		struct nq_hook *h = &nq_hooks[i];

		if (h->attached)
			WARN_ON(tracepoint_probe_unregister(h->tp, h->probe,
							    NULL));
		h->attached = false;
	}
	tracepoint_synchronize_unregister();
}

bool nq_hook_attached(enum nq_hook_id id)
{
	return nq_hooks[id].attached;
}

bool nq_counter_available(int counter)
{
	if (counter <= NQSTAT_CTR_PAD || counter > NQSTAT_CTR_MAX)
		return false;
	return nq_hook_attached(nq_counter_hook[counter]);
}

static int nq_hook_fill(struct sk_buff *skb, const struct nq_hook *h)
{
	struct nlattr *nest = nla_nest_start(skb, 0);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, NQSTAT_A_HOOK_NAME, h->name) ||
	    nla_put_u8(skb, NQSTAT_A_HOOK_KIND, h->kind) ||
	    nla_put_u8(skb, NQSTAT_A_HOOK_STATE, h->attached ?
		       NQSTAT_HOOK_ATTACHED : NQSTAT_HOOK_UNAVAILABLE))
		goto cancel;
	if (!h->attached &&
	    (nla_put_u32(skb, NQSTAT_A_HOOK_ERRNO, -h->err) ||
	     nla_put_string(skb, NQSTAT_A_HOOK_REASON, h->reason)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int nq_hooks_fill(struct sk_buff *skb, int attrtype)
{
	struct nlattr *nest = nla_nest_start(skb, attrtype);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < NQ_HOOK_COUNT; i++) {
		if (nq_hook_fill(skb, &nq_hooks[i])) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}
