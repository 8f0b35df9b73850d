// SPDX-License-Identifier: GPL-2.0
/*
 * connect(): how the attempts of a namespace end, and the SYNs they
 * retransmit.
 *
 * Local ports. No tracepoint marks a connect() finding no free port, but
 * tcp_v4_connect() and tcp_v6_connect() enter SYN_SENT before they ask
 * inet{,6}_hash_connect() for a port, and leave it for CLOSE at once when
 * it fails: a socket that leaves SYN_SENT for CLOSE without a source port
 * never got one. Once it has one (bound, or found by the search), inet_sport
 * stays set through the failure paths.
 *
 * Failed attempts. Every path that ends an attempt with an error goes
 * through tcp_done_with_error(), which stores the error in sk_err (what
 * connect() or SO_ERROR returns) before tcp_done() counts the attempt in
 * TcpAttemptFails and moves the socket to CLOSE: the retransmission timer
 * giving up (ETIMEDOUT, or the last ICMP error it saw), a RST
 * (ECONNREFUSED), an ICMP error (EHOSTUNREACH, ...), an abort (ss -K:
 * ECONNABORTED). close(), connect(AF_UNSPEC) and a connect() that fails
 * before its first SYN move it to CLOSE with no error set. Whether the SYN
 * was retransmitted: tcp_sock.total_retrans, which __tcp_retransmit_skb()
 * increments where it counts TcpExtTCPSynRetrans (for a SYN_SENT socket,
 * whose only segment is its SYN).
 *
 * How long: tcp_connect() stamps tcp_sock.retrans_stamp as it sends the
 * first SYN, and SYN_SENT never changes it (a retransmission only sets it
 * when it is 0).
 *
 * TIME_WAIT needs no probe of its own: the kernel counts what it creates
 * and refuses (netns.c), and the state tracepoint sees each one made
 * (tcp_state.c).
 */

#include <net/inet_sock.h>
#include <net/tcp.h>

#include "compat.h"
#include "hooks.h"
#include "netns.h"

/* @sk leaves SYN_SENT for CLOSE. */
void nq_connect_closed(const struct sock *sk)
{
	struct nq_net *nn;

	rcu_read_lock();
	nn = nq_net(sock_net(sk));
	if (!nn)
		goto out;
	if (!inet_sk(sk)->inet_sport) {
		nq_net_inc(nn, NQ_NET_CONNECT_PORT_EXHAUSTED);
	} else if (!READ_ONCE(sk->sk_err)) {
		nq_net_inc(nn, NQ_NET_CONNECT_CLOSED);
	} else if (!READ_ONCE(tcp_sk(sk)->total_retrans)) {
		nq_net_inc(nn, NQ_NET_CONNECT_FAILED_UNRETRIED);
	} else {
		nq_net_inc(nn, NQ_NET_CONNECT_FAILED_RETRIED);
		nq_net_add(nn, NQ_NET_CONNECT_FAILED_RETRIED_MS,
			   nq_syn_elapsed_ms(sk));
	}
out:
	rcu_read_unlock();
}

/*
 * tcp:tcp_retransmit_skb, for every retransmitted segment: counts those
 * that are the SYN of a socket in SYN_SENT and were sent. The socket is
 * locked (or owned by the timer in softirq).
 */
NQ_RETRANSMIT_SKB_PROBE(nq_probe_tcp_retransmit_skb)
{
	struct nq_net *nn;

	if (sk->sk_state != TCP_SYN_SENT || !nq_retransmit_sent() ||
	    !(TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN))
		return;
	rcu_read_lock();
	nn = nq_net(sock_net(sk));
	if (nn)
		nq_net_inc(nn, NQ_NET_CONNECT_SYN_RETRANSMITS);
	rcu_read_unlock();
}
