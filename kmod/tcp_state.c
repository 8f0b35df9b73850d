// SPDX-License-Identifier: GPL-2.0
/*
 * sock:inet_sock_set_state: a socket enters or leaves LISTEN, a child is
 * cloned from a listener (LISTEN -> SYN_RECV), a connect() gives up on
 * SYN_SENT, or a socket leaves FIN_WAIT2 or CLOSING for CLOSE, which is
 * where tcp_time_wait() ends.
 */

#include <linux/in.h>
#include <linux/socket.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "netns.h"
#include "tables.h"

void nq_probe_inet_sock_set_state(void *data, const struct sock *sk,
				  int oldstate, int newstate)
{
	/* What is changed below is locked by the caller, or not hashed yet. */
	struct sock *s = (struct sock *)sk;

	if (sk->sk_protocol != IPPROTO_TCP ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6))
		return;

	if (newstate == TCP_CLOSE &&
	    (oldstate == TCP_FIN_WAIT2 || oldstate == TCP_CLOSING))
		nq_net_tw_seen(sk);
	else if (oldstate == TCP_SYN_SENT && newstate == TCP_CLOSE)
		nq_connect_closed(sk);
	/* A child, cloned with its listener's table, not hashed yet. */
	else if (oldstate == TCP_LISTEN && newstate == TCP_SYN_RECV)
		nq_child_restore(s);
	else if (oldstate == TCP_LISTEN && newstate == TCP_CLOSE)
		nq_listener_close(s);
	else if (newstate == TCP_LISTEN && oldstate != TCP_LISTEN)
		nq_listener_open(s);
}
