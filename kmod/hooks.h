/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_HOOKS_H
#define NQSTAT_HOOKS_H

#include <linux/bitops.h>
#include <linux/kprobes.h>
#include <linux/notifier.h>
#include <linux/types.h>

#include "compat.h"

struct sk_buff;
struct sock;
struct request_sock;

enum nq_hook_id {
	NQ_HOOK_INET_SOCK_SET_STATE,
	NQ_HOOK_TCP_RETRANSMIT_SYNACK,
	NQ_HOOK_TCP_RETRANSMIT_SKB,
	/* Wrappers in each listener's own tables (af_ops.c, accept.c). */
	NQ_HOOK_CONN_REQUEST,
	NQ_HOOK_SYN_RECV_SOCK,
	NQ_HOOK_ACCEPT,
	NQ_HOOK_TCP_PEER_IS_PROVEN,
	/* In module nf_conntrack: attached while it is loaded. */
	NQ_HOOK_CT_EARLY_DROP,
	NQ_HOOK_CT_ALLOC,
	NQ_HOOK_COUNT
};

/*
 * What hook @id calls, given by the file that holds it: hooks.c names the
 * hooks and attaches them, and calls into no probe file. Every tracepoint
 * and kretprobe hook is given one before it is attached.
 */
struct nq_hook_probe {
	enum nq_hook_id id;
	void *tp_probe;			/* a tracepoint's probe */
	struct kretprobe *krp;		/* a kretprobe */
};

/*
 * Hooks in another module, attached while it is loaded: when it goes live
 * (module notifications), or at registration if it is already, and
 * detached before its code goes away. @live, under the hooks' lock, says
 * whether the module is usable (it may be going, or not loaded); its hooks
 * are then attached. @going, under the same lock, runs once they are
 * detached. hooks.c holds the notifier.
 */
struct nq_module_hooks {
	const char *module;
	bool (*live)(void);
	void (*going)(void);
	const struct nq_hook_probe *probes;
	unsigned int nprobes;
	struct notifier_block nb;
};

int nq_hooks_parse_params(void);
/* The hooks in the kernel image, with their @probes. */
void nq_hooks_attach(const struct nq_hook_probe *probes, unsigned int n);
void nq_hooks_detach(void);
/* Before nq_hooks_detach(). */
int nq_hooks_module_register(struct nq_module_hooks *m);
void nq_hooks_module_unregister(struct nq_module_hooks *m);
extern unsigned long nq_hooks_on;

static inline bool nq_hook_attached(enum nq_hook_id id)
{
	return test_bit(id, &nq_hooks_on);
}

/* One hook as nqstat status shows it. */
struct nq_hook_info {
	const char *name;
	const char *reason;		/* when not attached */
	u64 missed;			/* an attached kretprobe's */
	int err;			/* negative errno when not attached */
	u8 kind;			/* enum nqstat_hook_kind */
	bool attached;
};

/* Every hook, read at once: a picture no attach or detach runs through. */
void nq_hooks_read(struct nq_hook_info info[NQ_HOOK_COUNT]);
/* The fields hook @id feeds, one a call from *@pos = 0; NULL after them. */
const char *nq_hook_feed_next(enum nq_hook_id id, unsigned int *pos);
bool nq_counter_available(int counter);
bool nq_hooks_attached(u32 mask);

/* Probes in the kernel image, one file per concern; main.c hands them over. */
void nq_probe_inet_sock_set_state(void *data, const struct sock *sk,
				  int oldstate, int newstate);
void nq_probe_tcp_retransmit_synack(void *data, const struct sock *sk,
				    const struct request_sock *req);
NQ_RETRANSMIT_SKB_PROBE(nq_probe_tcp_retransmit_skb);
extern struct kretprobe nq_krp_tcp_peer_is_proven;

#endif /* NQSTAT_HOOKS_H */
