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

#include "af_ops.h"
#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "netns.h"
#include "track.h"

void nq_probe_inet_sock_set_state(void *data, const struct sock *sk,
				  int oldstate, int newstate)
{
	/* What is changed below is locked by the caller, or not hashed yet. */
	struct sock *s = (struct sock *)sk;

	/* Most changes are none of ours: tell by the states alone. */
	switch (newstate) {
	case TCP_CLOSE:
		if (oldstate != TCP_FIN_WAIT2 && oldstate != TCP_CLOSING &&
		    oldstate != TCP_SYN_SENT && oldstate != TCP_LISTEN)
			return;
		break;
	case TCP_SYN_RECV:
		if (oldstate != TCP_LISTEN)
			return;
		break;
	case TCP_LISTEN:
		if (oldstate == TCP_LISTEN)
			return;
		break;
	default:
		return;
	}
	if (sk->sk_protocol != IPPROTO_TCP ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6))
		return;

	switch (oldstate) {
	case TCP_FIN_WAIT2:
	case TCP_CLOSING:
		nq_net_tw_seen(sk);
		break;
	case TCP_SYN_SENT:
		nq_connect_closed(sk);
		break;
	case TCP_LISTEN:
		/* A child, cloned with its listener's table, not hashed yet. */
		if (newstate == TCP_SYN_RECV)
			nq_child_restore(s);
		else
			nq_listener_close(s);
		break;
	default:
		nq_listener_open(s);
	}
}
