/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_HOOKS_H
#define NQSTAT_HOOKS_H

#include <linux/types.h>

struct sk_buff;
struct sock;

enum nq_hook_id {
	NQ_HOOK_INET_SOCK_SET_STATE,
	NQ_HOOK_COUNT
};

void nq_hooks_attach(void);
void nq_hooks_detach(void);
bool nq_hook_attached(enum nq_hook_id id);
int nq_hooks_fill(struct sk_buff *skb, int attrtype);
bool nq_counter_available(int counter);

/* Probes, one file per concern. */
void nq_probe_inet_sock_set_state(void *data, const struct sock *sk,
				  int oldstate, int newstate);

#endif /* NQSTAT_HOOKS_H */
