// SPDX-License-Identifier: GPL-2.0
/*
 * sock:inet_sock_set_state: a socket enters or leaves LISTEN, or leaves
 * FIN_WAIT2 or CLOSING for CLOSE, which is where tcp_time_wait() ends.
 */

#include <linux/in.h>
#include <linux/socket.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "netns.h"

void nq_probe_inet_sock_set_state(void *data, const struct sock *sk,
				  int oldstate, int newstate)
{
	if (sk->sk_protocol != IPPROTO_TCP ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6))
		return;

	if (newstate == TCP_CLOSE &&
	    (oldstate == TCP_FIN_WAIT2 || oldstate == TCP_CLOSING))
		nq_net_tw_seen(sk);
	/*
	 * A child cloned from a listener also leaves LISTEN, for SYN_RECV:
	 * tcp_accept.c counts it where the listener is known on every kernel.
	 */
	else if (oldstate == TCP_LISTEN && newstate == TCP_CLOSE)
		nq_listener_close(sk);
	else if (newstate == TCP_LISTEN && oldstate != TCP_LISTEN)
		nq_listener_open(sk);
}
