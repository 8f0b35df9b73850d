/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_HOOKS_H
#define NQSTAT_HOOKS_H

#include <linux/bitops.h>
#include <linux/kprobes.h>
#include <linux/types.h>

struct sk_buff;
struct sock;
struct request_sock;

enum nq_hook_id {
	NQ_HOOK_INET_SOCK_SET_STATE,
	NQ_HOOK_TCP_RETRANSMIT_SYNACK,
	/* Wrappers in each tracked listener's own tables (tables.c). */
	NQ_HOOK_CONN_REQUEST,
	NQ_HOOK_SYN_RECV_SOCK,
	NQ_HOOK_ACCEPT,
	NQ_HOOK_TCP_PEER_IS_PROVEN,
	/* In module nf_conntrack: attached while it is loaded. */
	NQ_HOOK_CT_EARLY_DROP,
	NQ_HOOK_CT_ALLOC,
	NQ_HOOK_COUNT
};

int nq_hooks_parse_params(void);
void nq_hooks_attach(void);
void nq_hooks_detach(void);
void nq_hooks_attach_module(const char *module);
void nq_hooks_detach_module(const char *module);
extern unsigned long nq_hooks_on;

static inline bool nq_hook_attached(enum nq_hook_id id)
{
	return test_bit(id, &nq_hooks_on);
}

int nq_hooks_fill(struct sk_buff *skb, int attrtype, bool host);
bool nq_counter_available(int counter);
bool nq_hooks_attached(u32 mask);

/* Probes, one file per concern. */
void nq_probe_inet_sock_set_state(void *data, const struct sock *sk,
				  int oldstate, int newstate);
void nq_probe_tcp_retransmit_synack(void *data, const struct sock *sk,
				    const struct request_sock *req);
extern struct kretprobe nq_krp_tcp_peer_is_proven;
extern struct kretprobe nq_krp_ct_early_drop;
extern struct kretprobe nq_krp_ct_alloc;

#endif /* NQSTAT_HOOKS_H */
