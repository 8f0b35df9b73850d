// SPDX-License-Identifier: GPL-2.0
/*
 * Local ports. No tracepoint marks a connect() finding no free port, but
 * tcp_v4_connect() and tcp_v6_connect() enter SYN_SENT before they ask
 * inet{,6}_hash_connect() for a port, and leave it for CLOSE at once when
 * it fails: a socket that leaves SYN_SENT for CLOSE without a source port
 * never got one. Once it has one (bound, or found by the search), inet_sport
 * stays set through the failure paths. TIME_WAIT needs no probe of its own:
 * the kernel counts what it creates and refuses (netns.c), and the state
 * tracepoint sees each one made (tcp_state.c).
 */

#include <net/inet_sock.h>
#include <net/tcp.h>

#include "listeners.h"
#include "netns.h"

/* @sk leaves SYN_SENT for CLOSE. */
void nq_connect_closed(const struct sock *sk)
{
	struct nq_net *nn;

	if (inet_sk(sk)->inet_sport)
		return;
	rcu_read_lock();
	nn = nq_net(sock_net(sk));
	if (nn)
		nq_net_inc(nn, NQ_NET_CONNECT_PORT_EXHAUSTED);
	rcu_read_unlock();
}
