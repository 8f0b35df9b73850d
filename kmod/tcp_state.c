// SPDX-License-Identifier: GPL-2.0
/*
 * sock:inet_sock_set_state: a socket enters or leaves LISTEN, and a listener
 * hands a child socket to its accept queue.
 */

#include <linux/in.h>
#include <linux/socket.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"

/*
 * inet_csk_clone_lock() created a child from the listener: a final ACK, a
 * valid SYN cookie or a Fast Open SYN completed a handshake. Per connection:
 * one RCU lookup and one per-CPU increment.
 */
static void nq_child_created(const struct sock *child)
{
	u64 cookie = nq_child_listener_cookie(child);
	struct nq_listener *l;

	rcu_read_lock();
	l = cookie ? nq_listener_lookup(cookie) : NULL;
	if (likely(l)) {
		nq_counter_inc(l, NQSTAT_CTR_HANDSHAKES_COMPLETED);
		nq_listener_refresh(l, child);
	} else {
		nq_untracked_inc();
	}
	rcu_read_unlock();
}

void nq_probe_inet_sock_set_state(void *data, const struct sock *sk,
				  int oldstate, int newstate)
{
	if (sk->sk_protocol != IPPROTO_TCP ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6))
		return;

	if (oldstate == TCP_LISTEN) {
		if (newstate == TCP_SYN_RECV)
			nq_child_created(sk);
		else if (newstate == TCP_CLOSE)
			nq_listener_close(sk);
	} else if (newstate == TCP_LISTEN) {
		nq_listener_open(sk);
	}
}
