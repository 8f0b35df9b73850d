// SPDX-License-Identifier: GPL-2.0
/*
 * The message table of "recommend" (rules/messages.h): what each finding
 * says, keyed by its id. The arguments of each format are listed with
 * its id in messages.h; the rules pass them in that order.
 */
#include <inttypes.h>

#include "rules/messages.h"

#define NONE_FROM_NQSTAT "none from nqstat"
#define CT_MAX_RISK "memory, allocated as entries are created; a full table drops new flows' packets"

const struct rq_msg rq_msgs[RQ_N_MSG] = {
	[RQ_ACCEPT_SLOW] = {
		.subject = "application accept() rate",
		.reasoning = "%s accepts %" PRIu64 " of %" PRIu64 " connections offered (handshakes + dropped final ACKs and SYNs) and its accept queue stays full: the application calls accept() too slowly. A longer queue only adds latency; no sysctl fixes this: accept faster (more workers, a non-blocking accept loop).",
		.risk = "none from nqstat: the change is in the application",
	},
	[RQ_SYN_FLOOD] = {
		.subject = "SYN flood",
		.reasoning = "%s sent %" PRIu64 " SYN cookies but completed only %" PRIu64 " handshakes: most SYNs never completed, a flood the cookies are absorbing, as they should. Cookies are a fallback, not a tuning: keep net.ipv4.tcp_syncookies=1 and change nothing for this.",
		.risk = "none",
	},
	[RQ_LISTEN_BACKLOG] = {
		.subject = "application listen() backlog",
		.reasoning = "Both queues of %s are bounded by its backlog, min(listen() backlog, somaxconn) = %" PRIu64 ", and the application's listen() argument is what binds: no sysctl raises it. Raise the listen() argument to %" PRIu64 ": room for the %" PRIu64 " entries the queue held plus the %" PRIu64 " requests that did not fit %s (SYNs and final ACKs dropped, cookies sent; a client that retries counts once per try, so this bounds the demand from above), at least %d x the limit, a power of two%s.%s%s",
		.risk = "each connection waiting in the accept queue is a full socket, about %u bytes plus its data, each request in the SYN queue about %u bytes: up to %" PRIu64 " KiB at the new backlog; more queued connections add latency while the application is busy",
		.parts = {
			"; net.core.somaxconn caps it, raise that too",
			" That is nqstat's maximum and still below the demand: spread the load too (SO_REUSEPORT, more instances).",
			" Cookies sent under ordinary load (peers completing their handshakes) mean the backlog is too small; cookies are a fallback, not a tuning.",
		},
	},
	[RQ_SOMAXCONN] = {
		.sysctl = "net.core.somaxconn",
		.reasoning = "The SYN queue and the accept queue of a listener are both bounded by its backlog, min(listen() backlog, somaxconn), and somaxconn binds here. %" PRIu64 " holds what the busiest listener was offered: its limit + 1 entries plus the %" PRIu64 " requests that did not fit %s (SYNs and final ACKs dropped, cookies sent; a client that retries counts once per try, so this bounds the demand from above), at least %d x the limit, a power of two, at most %u.%s",
		.risk = "Applies to listen() calls made after the change: restart the listeners. An application asking for less still gets less. Up to %" PRIu64 " KiB per listener at the new limit (a full socket of about %u bytes per queued connection, %u per half-open request); more queued connections add latency when the application is slow.%s",
		.parts = {
			" tcp_abort_on_overflow=1 would reset clients instead of letting them retry: only for applications that prefer to fail fast.",
			" That is nqstat's maximum and still below the demand: spread the load too (SO_REUSEPORT, more instances).",
		},
	},
	[RQ_SOMAXCONN_CLAMP] = {
		.sysctl = "net.core.somaxconn",
		.subject = "clamps the listen() backlog",
		.reasoning = "%s asked listen() for at least net.core.somaxconn = %" PRIu64 " and got that: somaxconn clamps its backlog (the kernel keeps only the clamped value, so the value asked for is not known). The cause of the drops is the application's accept() rate (the critical finding): a longer queue alone would only hold more waiting connections. Once it accepts fast enough, raise somaxconn to what the application asks for if bursts still overflow.",
		.risk = NONE_FROM_NQSTAT,
	},
	[RQ_SOMAXCONN_AT_MAX] = {
		.subject = "listener backlog at nqstat's maximum",
		.reasoning = "The backlog is already %" PRIu64 "; nqstat suggests at most %u. Reduce the load per listener (SO_REUSEPORT, more instances) or accept faster.",
		.risk = NONE_FROM_NQSTAT,
	},
	[RQ_SYNCOOKIES_OFF] = {
		.sysctl = "net.ipv4.tcp_syncookies",
		.reasoning = "With cookies off, a full SYN queue drops SYNs. 1 answers with a cookie only when the queue is full: a flood fallback, not a tuning. Size the backlog for the normal load (see the backlog findings).",
		.risk = "cookie connections lose options not carried by timestamps",
	},
	[RQ_SYNCOOKIES_2] = {
		.sysctl = "net.ipv4.tcp_syncookies",
		.reasoning = "2 sends cookies even without pressure, losing TCP options the peer asked for. 1 keeps cookies as the fallback for a full SYN queue.",
		.risk = "cookie connections lose options not carried by timestamps",
	},
	[RQ_MAX_SYN_BACKLOG] = {
		.sysctl = "net.ipv4.tcp_max_syn_backlog",
		.reasoning = "With syncookies off, the kernel keeps the last quarter of tcp_max_syn_backlog for peers it has seen before. %" PRIu64 " is %d x the larger of the limit and the peak, a power of two. With cookies on this sysctl does not matter.",
		.risk = "more half-open requests kept during a flood: about %u bytes each, %" PRIu64 " KiB at the new limit",
	},
	[RQ_SYNACK_RETRIES] = {
		.sysctl = "net.ipv4.tcp_synack_retries",
		.reasoning = "Requests that never complete hold SYN queue slots while the SYN-ACK is retried: %" PRIu64 " retries last %" PRIu64 " s, %" PRIu64 " last %" PRIu64 " s.",
		.risk = "clients on very lossy paths whose SYN-ACKs are lost more than %" PRIu64 " times fail to connect",
	},
	[RQ_ABORT_ON_OVERFLOW] = {
		.sysctl = "net.ipv4.tcp_abort_on_overflow",
		.reasoning = "With 1, a full accept queue answers the final ACK with a reset: the client fails at once instead of retrying and getting in moments later. 0 lets a burst be absorbed.",
		.risk = "clients wait for retries instead of failing fast",
	},
	[RQ_TW_BUCKETS] = {
		.sysctl = "net.ipv4.tcp_max_tw_buckets",
		.reasoning = "At the limit the kernel lets a closing socket skip TIME_WAIT, so late segments of an old connection can reach a new one. %" PRIu64 " is %d x the observed need rounded up to 1024. Never lower this limit to fight TIME_WAIT: TIME_WAIT is harmless on a server and protects connections.",
		.risk = "memory: about %u bytes per TIME_WAIT socket, %" PRIu64 " KiB at the new limit",
	},
	[RQ_PORT_RANGE] = {
		.sysctl = "net.ipv4.ip_local_port_range",
		.reasoning = "A client holds at most one connection per local port to each destination addr:port, TIME_WAIT included (60 s). %" PRIu64 " ports is %d x the most one destination uses (the whole range when connect() failed), from %u up at most, the low bound even (connect() takes ports of its parity first).",
		.risk = "ports of the range can be taken by outgoing connections before a service binds them: reserve the services' ports (ip_local_reserved_ports)",
	},
	[RQ_TW_REUSE] = {
		.sysctl = "net.ipv4.tcp_tw_reuse",
		.reasoning = "tcp_tw_reuse lets connect() reuse a local port in TIME_WAIT for a new OUTBOUND connection when timestamps prove it newer; it does nothing for inbound connections. %" PRIu64 " is %s. Reusing connections in the application (keep-alive, pools) is better still. Never tcp_tw_recycle.",
		.risk = "needs net.ipv4.tcp_timestamps=1 on both ends; otherwise it has no effect",
		.parts = { "the default, loopback only", "off" },
	},
	[RQ_CONN_REUSE] = {
		.subject = "application connection reuse",
		.reasoning = "The port range is already wide and tcp_tw_reuse on: the application opens more short connections to one destination than ports allow. Reuse connections (keep-alive, pools), or spread them over more source addresses or destinations.",
		.risk = NONE_FROM_NQSTAT,
	},
	[RQ_TIMESTAMPS] = {
		.sysctl = "net.ipv4.tcp_timestamps",
		.reasoning = "tcp_tw_reuse needs timestamps (PAWS) to tell a new connection from an old one.",
		.risk = "10 bytes more per segment",
	},
	[RQ_TW_RECYCLE] = {
		.sysctl = "net.ipv4.tcp_tw_recycle",
		.reasoning = "tcp_tw_recycle drops SYNs of clients behind NAT whose timestamps are not monotonic; it was removed in Linux 4.12.",
		.risk = "none",
	},
	[RQ_CONF_TW_RECYCLE] = {
		.sysctl = "net.ipv4.tcp_tw_recycle",
		.subject = "configuration file",
		.reasoning = "Remove the line: tcp_tw_recycle broke clients behind NAT and was removed in Linux 4.12; on current kernels it does not exist and sysctl -p reports an error for the line.",
		.risk = "none",
	},
	[RQ_CONF_TW_TIMEOUT] = {
		.sysctl = "net.ipv4.tcp_tw_timeout",
		.subject = "configuration file",
		.reasoning = "Remove the line: tcp_tw_timeout does not exist in mainline Linux; TIME_WAIT lasts a fixed 60 s (TCP_TIMEWAIT_LEN).",
		.risk = "none",
	},
	[RQ_CT_MAX] = {
		.sysctl = "net.netfilter.nf_conntrack_max",
		.reasoning = "%" PRIu64 " is %d x the demand (the peak, or, when the table was full, the limit plus the flows it turned away), a power of two, within 1/%d of MemTotal. Memory: %u bytes per entry (struct nf_conn, both tuples, slab object) + %u per bucket: %" PRIu64 " MiB at the new limit with %" PRIu64 " buckets. Exempt high-volume stateless flows with NOTRACK; shorten nf_conntrack_tcp_timeout_established only with care.",
		.risk = CT_MAX_RISK,
	},
	[RQ_CT_MAX_AT_BUDGET] = {
		.subject = "conntrack table at its memory budget",
		.reasoning = "A larger table would exceed 1/%d of MemTotal (%" PRIu64 " MiB) at %u bytes per entry: exempt high-volume stateless flows with NOTRACK (nft 'notrack', iptables -t raw -j CT --notrack) instead.",
		.risk = CT_MAX_RISK,
	},
	[RQ_CT_BUCKETS] = {
		.sysctl = "net.netfilter.nf_conntrack_buckets",
		.reasoning = "Keeps chains at %d entr%s at a full table, as the kernel's default sizing does; a power of two. The hash is shared by every namespace and can be changed only in the initial one.",
		.risk = "resizing rehashes the table (a short stall); %u bytes per bucket",
		.parts = { "y", "ies" },
	},
	[RQ_FIN_TIMEOUT] = {
		.sysctl = "net.ipv4.tcp_fin_timeout",
		.reasoning = "tcp_fin_timeout bounds how long an orphaned FIN_WAIT2 socket waits for the peer's FIN; it does not change TIME_WAIT (60 s, fixed). %" PRIu64 " roughly halves their number, and stays at or above %u s.",
		.risk = "a slow peer's last data after our close may be cut off",
	},
	[RQ_MAX_ORPHANS] = {
		.sysctl = "net.ipv4.tcp_max_orphans",
		.reasoning = "Past the limit the kernel resets orphaned connections at once (\"too many orphaned sockets\"). %" PRIu64 " is %d x the count, a power of two, within 1/%d of memory at %u bytes each. Never lower it.",
		.risk = "each orphan can hold up to %u KiB of unswappable memory",
	},
	[RQ_CLOSE_WAIT] = {
		.subject = "application close()",
		.reasoning = "CLOSE_WAIT means the peer closed and the local application has not called close(): sockets that stay in CLOSE_WAIT are an application bug (a leaked descriptor, a missing close on an error path), and they hold their memory and descriptor until the process exits. No sysctl fixes it: find the process (ss -tnp state close-wait) and fix its close().",
		.risk = NONE_FROM_NQSTAT,
	},
	[RQ_SYN_RETRIES] = {
		.sysctl = "net.ipv4.tcp_syn_retries",
		.reasoning = "%s Lowering tcp_syn_retries does not make these connect()s succeed; it makes them fail sooner, so that a caller that can try another destination (a proxy, a connection pool) does not wait: %" PRIu64 " retries give up after %" PRIu64 " s, %" PRIu64 " after %" PRIu64 " s (with the initial RTO of 1 s each retry doubles the wait: 2^(retries+1) - 1 s; on Linux 6.5 and later the first tcp_syn_linear_timeouts retries do not double it and come on top, within the same time bound). Never below %u. It applies to every connect() of the namespace: a proxy can set TCP_SYNCNT on its backend sockets instead.",
		.risk = "a path that loses SYNs (a lossy link, a busy peer) fails connect()s that would have succeeded: %" PRIu64 " SYNs are sent over %" PRIu64 " s",
	},
	[RQ_CONNECT_DEST] = {
		.subject = "the destination of the failing connect()s",
		.reasoning = "%s No sysctl fixes a destination that does not answer: tcp_syn_retries (already at most 3 here, or unknown) only sets how long a connect() waits for it.",
		.risk = NONE_FROM_NQSTAT,
		.parts = {
			"The destination is the problem: every failed attempt waited the full retry time, so it never answered (no SYN-ACK, no RST, no ICMP error): a firewall dropping SYNs, a host that is down, a wrong address or route.",
			"The destination is the problem: it did not answer the first SYN; the attempts did not all wait the full retry time, so some were ended by a late RST or ICMP error, or by the application (TCP_SYNCNT, TCP_USER_TIMEOUT).",
			"nqstat counts per namespace, not per destination: ss -tn state syn-sent lists the destinations being tried now",
		},
	},
	[RQ_UNTRACKED_DROPS] = {
		.subject = "listeners nqstat does not track",
		.reasoning = "The namespace's own counters (TcpExt ListenDrops, ListenOverflows, TCPReqQFullDrop, TCPReqQFullDoCookies) counted %" PRIu64 " dropped or cookie-answered connection requests %s more than the listeners nqstat tracks account for: they happened on listeners it does not track (its table was full: max_listeners; a foreign MPTCP or SMC listener; a listener closed meanwhile)%s. The listening sockets whose drops the kernel counted (sk_drops, sock_diag) are listed; ss -ltn shows each one's backlog (Send-Q) and accept queue (Recv-Q): a backlog equal to net.core.somaxconn means somaxconn binds, a smaller one the application's listen() argument. nqstat status says what it tracks.",
		.risk = NONE_FROM_NQSTAT,
		.parts = {
			", or before nqstat started counting (the kernel counts since the namespace was created, nqstat since it first saw each listener: run recommend --duration to see whether they still grow)",
		},
	},
	[RQ_KERNEL_LOSSES] = {
		.subject = "losses the kernel counted",
		.reasoning = "The kernel counted these losses in the namespace %s, and no other finding names their cause: the counters nqstat keeps do not show where they happened (a listener or a conntrack entry gone before the second snapshot, a drop nqstat does not classify). Run recommend --duration over a window in which they grow; ss -ltnm and conntrack -S show where.",
		.risk = NONE_FROM_NQSTAT,
	},
	[RQ_NO_MODULE_LOSSES] = {
		.subject = "losses the kernel counted (without the nqstat module)",
		.reasoning = "The kernel counted these losses in the namespace %s. The nqstat module is not loaded, so they are not split by listener or by kind: ListenOverflows counts SYNs and final ACKs dropped because an accept queue was full (raise the application's listen() backlog and net.core.somaxconn, or accept faster), TCPReqQFullDrop SYNs dropped because the SYN queue was full with syncookies off, TCPReqQFullDoCookies SYN cookies sent, ListenDrops every drop of a listener. The listening sockets with drops (sk_drops, sock_diag) are listed with their accept queue and backlog; a backlog equal to net.core.somaxconn means somaxconn binds. Load the module (the command nqstat printed) to see which listener and which queue.",
		.risk = NONE_FROM_NQSTAT,
	},
};
