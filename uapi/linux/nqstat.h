/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * nqstat: per-listener TCP queue accounting.
 *
 * Documentation
 * =============
 *
 * The nqstat module keeps, for every TCP listener of every network namespace,
 * counters of what happened to the connections offered to it. It is read and
 * controlled through the generic netlink family NQSTAT_GENL_NAME, version
 * NQSTAT_GENL_VERSION. Every command is strictly validated: an attribute the
 * command does not accept, an attribute of the wrong type or size, a value out
 * of range or trailing data fails the whole request with -EINVAL and an
 * extended ack message, and changes nothing.
 *
 * Resolving the family name loads the module (MODULE_ALIAS_GENL_FAMILY).
 * The family is available in every network namespace; a request is answered
 * from the point of view of the namespace of the requesting netlink socket.
 *
 * NQSTAT_CMD_GET_STATUS
 * ---------------------
 *
 * Must be sent without NLM_F_DUMP and without attributes. Needs no privilege.
 * With CAP_NET_ADMIN in the initial user namespace the figures are the
 * host's; without it, only the requester's network namespace's:
 * NQSTAT_A_LISTENERS_TRACKED counts that namespace's entries,
 * NQSTAT_A_LISTENERS_MAX is the most one namespace may hold (half of
 * max_listeners), and NQSTAT_A_HOOK_MISSED, NQSTAT_A_UNTRACKED_EVENTS,
 * NQSTAT_A_LISTENERS_ADOPTED and NQSTAT_A_LISTENERS_FOREIGN, host-wide
 * figures, are absent. The reply carries:
 *
 *    NQSTAT_A_VERSION: NLA_NUL_STRING, module version
 *    NQSTAT_A_KERNEL_RELEASE: NLA_NUL_STRING, release of the running kernel
 *    NQSTAT_A_HOOKS: NLA_NESTED
 *        0: NLA_NESTED, one per hook, in a fixed order
 *            NQSTAT_A_HOOK_NAME: NLA_NUL_STRING, e.g. "sock:inet_sock_set_state"
 *            NQSTAT_A_HOOK_KIND: NLA_U8, enum nqstat_hook_kind
 *            NQSTAT_A_HOOK_STATE: NLA_U8, enum nqstat_hook_state
 *            NQSTAT_A_HOOK_ERRNO: NLA_U32, positive errno, only when the
 *                                 hook is unavailable; ECANCELED when the
 *                                 module parameter disable_hooks left it
 *                                 out
 *            NQSTAT_A_HOOK_REASON: NLA_NUL_STRING, why the hook is
 *                                  unavailable, only when it is
 *            NQSTAT_A_HOOK_MISSED: NLA_U64, kretprobes only: calls the
 *                                  probe could not follow (no free
 *                                  instance); nonzero means some events
 *                                  were not counted; host-wide, only with
 *                                  CAP_NET_ADMIN in the initial user
 *                                  namespace
 *            NQSTAT_A_HOOK_FEEDS: NLA_NESTED, what the hook feeds, whether
 *                                 attached or not: a field is present
 *                                 only while every hook that feeds it is
 *                                 attached
 *                NQSTAT_A_HOOK_FEED: NLA_NUL_STRING, one per field,
 *                                    "<object>.<field>": object listener,
 *                                    netns or ct, field the lowercased
 *                                    suffix of its uapi name (counter
 *                                    NQSTAT_CTR_SYN_QUEUE_DROPS:
 *                                    "listener.syn_queue_drops";
 *                                    NQSTAT_A_LISTENER_SYNQ_PEAK:
 *                                    "listener.synq_peak";
 *                                    NQSTAT_A_NETNS_TW_PEAK:
 *                                    "netns.tw_peak"; NQSTAT_A_CT_PEAK:
 *                                    "ct.peak")
 *                ...
 *        0: NLA_NESTED
 *           ...
 *        (array elements all have attribute type 0)
 *    NQSTAT_A_LISTENERS_TRACKED: NLA_U32, entries in the listener table, in
 *                                all namespaces (unprivileged: in the
 *                                requester's), closed ones included
 *    NQSTAT_A_LISTENERS_MAX: NLA_U32, size limit of the listener table (the
 *                            module parameter max_listeners; unprivileged:
 *                            the share of one namespace, half of it). A
 *                            namespace holds at most half the table; a
 *                            closed entry gives way to a new listener
 *                            (its namespace's oldest first when the
 *                            namespace holds its share, the oldest of all
 *                            when the table is full), so a new listener
 *                            is untracked only when the table, or its
 *                            namespace's share, holds only live ones
 *    NQSTAT_A_UNTRACKED_EVENTS: NLA_U64, listeners the module could not
 *                               track when they started listening or when
 *                               it was loaded (table full or out of
 *                               memory), and events it could not
 *                               attribute; nonzero means counters are
 *                               missing for some listeners. Only with
 *                               CAP_NET_ADMIN in the initial user
 *                               namespace, as are the next two
 *    NQSTAT_A_LISTENERS_ADOPTED: NLA_U32, listeners that were already
 *                                listening when the module was loaded and
 *                                that it tracks since then
 *    NQSTAT_A_LISTENERS_FOREIGN: NLA_U64, TCP listeners seen (when they
 *                                started listening, or at load) whose
 *                                function table is not the kernel's own
 *                                TCP one (MPTCP subflows, SMC, another
 *                                module): nqstat never wraps a table it
 *                                does not know, and does not count them.
 *                                The namespace's MIB counters still do.
 *    NQSTAT_A_GRACE_PERIOD: NLA_U32, seconds a closed listener stays
 *                           readable (the module parameter grace_period)
 *
 * The hooks of kind NQSTAT_HOOK_TABLE are wrappers in each tracked
 * listener's own function tables ("af_ops:conn_request",
 * "af_ops:syn_recv_sock": its inet_connection_sock_af_ops, called in softirq
 * for each SYN and each final or cookie ACK; "proto_ops:accept": its
 * struct socket's proto_ops, called by accept()). A listener of the kernel's
 * own TCP tables gets a private copy of them with those entries wrapped when
 * it starts listening, or when the module is loaded if it was listening
 * already; the copy is taken back when it stops listening and when the
 * module is unloaded. The children of a listener get the kernel's tables.
 * While a thread is blocked in accept() on a tracked listener, the module is
 * in use: rmmod fails with EBUSY until the accept() returns.
 *
 * NQSTAT_CMD_GET_LISTENERS
 * ------------------------
 *
 * Must be sent with NLM_F_DUMP. Without NQSTAT_A_ALL_NETNS the dump lists the
 * listeners of the requester's network namespace and needs no privilege. With
 * NQSTAT_A_ALL_NETNS it lists the listeners of every namespace and needs
 * CAP_NET_ADMIN in the initial user namespace; otherwise the request fails
 * with -EPERM and an extended ack message. The optional filters narrow the
 * dump; NQSTAT_A_FILTER_ADDR requires NQSTAT_A_FILTER_FAMILY and must have
 * the length of an address of that family.
 *
 *    NQSTAT_A_ALL_NETNS: NLA_FLAG
 *    NQSTAT_A_FILTER_FAMILY: NLA_U8, AF_INET or AF_INET6
 *    NQSTAT_A_FILTER_ADDR: NLA_BINARY, 4 or 16 bytes, the bound address
 *    NQSTAT_A_FILTER_PORT: NLA_U16, 1 to 65535, the local port
 *
 * Each message of the dump carries one listener:
 *
 *    NQSTAT_A_LISTENER: NLA_NESTED
 *        NQSTAT_A_LISTENER_COOKIE: NLA_U64, the socket cookie, as printed by
 *                                  "ss -e" and reported by inet_diag; unique
 *                                  for the boot, never reused
 *        NQSTAT_A_LISTENER_NETNS_INODE: NLA_U32, inode number of the network
 *                                       namespace (as in /proc/PID/ns/net)
 *        NQSTAT_A_LISTENER_NETNS_COOKIE: NLA_U64, the namespace's cookie
 *                                        (SO_NETNS_COOKIE), never reused
 *        NQSTAT_A_LISTENER_FAMILY: NLA_U8, AF_INET or AF_INET6
 *        NQSTAT_A_LISTENER_ADDR: NLA_BINARY, the bound address, 4 or 16
 *                                bytes, network byte order
 *        NQSTAT_A_LISTENER_PORT: NLA_U16, the local port, host byte order;
 *                                0 for a listener that was autobound by
 *                                listen() until its first connection
 *        NQSTAT_A_LISTENER_IFINDEX: NLA_U32, SO_BINDTODEVICE interface, 0 if
 *                                   none
 *        NQSTAT_A_LISTENER_STATE: NLA_U8, enum nqstat_listener_state
 *        NQSTAT_A_LISTENER_BACKLOG: NLA_U32, the accept-queue limit
 *                                   (sk_max_ack_backlog, i.e.
 *                                   min(listen() backlog, somaxconn)) last
 *                                   seen; it also bounds the SYN queue
 *        NQSTAT_A_LISTENER_BACKLOG_SOURCE: NLA_U8, enum
 *                                          nqstat_backlog_source; absent
 *                                          when unknown
 *        NQSTAT_A_LISTENER_ACCEPTQ_LEN: NLA_U32, children waiting for
 *                                       accept() now; only while listening
 *        NQSTAT_A_LISTENER_SYNQ_LEN: NLA_U32, requests waiting for their
 *                                    final ACK now; only while listening
 *        NQSTAT_A_LISTENER_ACCEPTQ_PEAK: NLA_U32, longest accept queue
 *                                        seen as a child was queued (its
 *                                        length when the child was made,
 *                                        plus the child), since first
 *                                        seen; an adopted listener starts
 *                                        from its length at load
 *        NQSTAT_A_LISTENER_SYNQ_PEAK: NLA_U32, longest SYN queue seen right
 *                                     after a request was queued
 *        NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET: NLA_U32, the same since the
 *                                              last reset
 *        NQSTAT_A_LISTENER_SYNQ_PEAK_RESET: NLA_U32, the same since the last
 *                                           reset
 *        NQSTAT_A_LISTENER_KERNEL_DROPS: NLA_U64, the listener's own
 *                                        sk_drops ("ss -m" d field), the
 *                                        kernel's figure beside nqstat's
 *                                        breakdown; only while listening
 *                                        and once the module has seen a
 *                                        SYN or accept() on it
 *        NQSTAT_A_LISTENER_RESET_MSECS: NLA_U64, milliseconds since the
 *                                       last reset, only after one (from
 *                                       64-bit jiffies: never wraps)
 *        NQSTAT_A_LISTENER_CLOSED_MSECS: NLA_U64, milliseconds since the
 *                                        listener was closed, only when it
 *                                        is (a closed entry may be removed
 *                                        before grace_period to make room:
 *                                        see NQSTAT_A_LISTENERS_MAX)
 *        NQSTAT_A_LISTENER_COUNTERS: NLA_NESTED, one NLA_U64 per counter, of
 *                                    type enum nqstat_counter. A counter
 *                                    whose hook is unavailable on this kernel
 *                                    is absent: absent means unknown, never
 *                                    zero.
 *
 * NQSTAT_CMD_RESET
 * ----------------
 *
 * Must be sent without NLM_F_DUMP. Needs CAP_NET_ADMIN in the user namespace
 * that owns the requester's network namespace. Zeroes the counters and the
 * *_PEAK_RESET peaks of the listeners of that namespace that match the
 * optional filters (NQSTAT_A_FILTER_FAMILY, _ADDR, _PORT, as for
 * GET_LISTENERS). The reply is an ack.
 *
 * NQSTAT_CMD_GET_NETNS
 * --------------------
 *
 * Must be sent with NLM_F_DUMP. The client side of lost connections: TIME_WAIT
 * churn and local port exhaustion, per network namespace. Without
 * NQSTAT_A_ALL_NETNS the dump holds the requester's namespace only; with it,
 * every namespace, under the same rule as GET_LISTENERS.
 *
 *    NQSTAT_A_ALL_NETNS: NLA_FLAG
 *    NQSTAT_A_TOP_N: NLA_U32, 1 to 100, rows of NQSTAT_A_NETNS_TW_DESTS.
 *                    Absent: no destinations (neither
 *                    NQSTAT_A_NETNS_TW_DESTS nor its TRUNCATED flag), and
 *                    no walk of the established hash, the only part of a
 *                    request whose cost grows with the sockets of the host
 *
 * The family runs its commands in parallel (no genl_mutex): a long dump
 * does not delay other generic netlink families. A dump of all namespaces
 * visits each once. Each message carries one namespace, and fits the
 * smallest dump buffer (a page): destinations that do not fit are left out
 * and the list flagged truncated.
 *
 * Each message of the dump carries one namespace:
 *
 *    NQSTAT_A_NETNS: NLA_NESTED
 *        NQSTAT_A_NETNS_INODE: NLA_U32
 *        NQSTAT_A_NETNS_COOKIE: NLA_U64
 *        NQSTAT_A_NETNS_TW_COUNT: NLA_U32, TIME_WAIT sockets now (the "tw"
 *                                 figure of /proc/net/sockstat)
 *        NQSTAT_A_NETNS_TW_PEAK: NLA_U32, highest TIME_WAIT count seen right
 *                                after one was created (read as the socket
 *                                it replaces leaves FIN_WAIT2 or CLOSING),
 *                                since the module was loaded or the
 *                                namespace created; absent without the
 *                                sock:inet_sock_set_state tracepoint
 *        NQSTAT_A_NETNS_TW_CREATED: NLA_U64, TIME_WAIT sockets created
 *                                   (FIN_WAIT2 substates included) since
 *                                   the module was loaded or the namespace
 *                                   created: the kernel's own count,
 *                                   TcpExtTW + TcpExtTWKilled, which it
 *                                   increments as it schedules each one
 *        NQSTAT_A_NETNS_TW_OVERFLOWS: NLA_U64, sockets that could not enter
 *                                     TIME_WAIT because tcp_max_tw_buckets
 *                                     was reached, since the same time: the
 *                                     kernel's TcpExtTCPTimeWaitOverflow
 *        NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED: NLA_U64, connect() calls
 *                                     that found no free local port
 *                                     (EADDRNOTAVAIL from the port search):
 *                                     a socket without a port that leaves
 *                                     SYN_SENT for CLOSE before it got one.
 *                                     The port search also fails that way,
 *                                     with ENOMEM, if it cannot allocate a
 *                                     bind bucket (GFP_ATOMIC); such a
 *                                     failure is counted here as well. A
 *                                     bound socket whose 4-tuple is in use
 *                                     is not counted. Absent without the
 *                                     sock:inet_sock_set_state tracepoint.
 *        NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS: NLA_U64, SYNs
 *                                     retransmitted by connect() attempts
 *                                     (sockets in SYN_SENT) and sent, since
 *                                     the module was loaded or the
 *                                     namespace created. The kernel's
 *                                     TcpExtTCPSynRetrans counts these, and
 *                                     also the SYN-ACKs its listeners
 *                                     retransmit and SYNs whose
 *                                     retransmission failed to leave the
 *                                     host (TcpExtTCPRetransFail): equal
 *                                     to it when neither happened. Absent
 *                                     without the tcp:tcp_retransmit_skb
 *                                     tracepoint.
 *        NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED: NLA_U64, connect()
 *                                     attempts that failed with an error
 *                                     (left SYN_SENT for CLOSE through
 *                                     tcp_done_with_error(): the error is
 *                                     what connect() or SO_ERROR returns)
 *                                     after their SYN was retransmitted at
 *                                     least once: the retransmission timer
 *                                     giving up after tcp_syn_retries
 *                                     (ETIMEDOUT, or the last ICMP error
 *                                     seen), and also a RST, an ICMP error
 *                                     or an abort that came after a
 *                                     retransmission. Same time and
 *                                     condition as
 *                                     NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED,
 *                                     as are the next three.
 *                                     FAILED_RETRIED + FAILED_UNRETRIED is
 *                                     the kernel's TcpAttemptFails, which
 *                                     also counts passive connections that
 *                                     fail in SYN_RECV (Fast Open
 *                                     children, and requests reset in the
 *                                     SYN queue)
 *        NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS: NLA_U64, the total time
 *                                     those attempts took, in
 *                                     milliseconds: each from its first SYN
 *                                     (the socket's retrans_stamp, which
 *                                     tcp_connect() sets as it sends it)
 *                                     to its failure (when the socket left
 *                                     SYN_SENT), rounded down. Divided by
 *                                     FAILED_RETRIED: the mean time a
 *                                     failed connect() waited
 *        NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED: NLA_U64, connect()
 *                                     attempts that failed with an error
 *                                     before any SYN retransmission:
 *                                     refused (RST: ECONNREFUSED), an ICMP
 *                                     error (EHOSTUNREACH, ENETUNREACH,
 *                                     ...) or an abort (ss -K:
 *                                     ECONNABORTED). The timer never gives
 *                                     up before one retransmission
 *        NQSTAT_A_NETNS_CONNECT_CLOSED: NLA_U64, sockets that left SYN_SENT
 *                                     for CLOSE with a local port and no
 *                                     error: closed (close(), shutdown
 *                                     with SO_LINGER 0) or disconnected
 *                                     (connect(AF_UNSPEC)) by the
 *                                     application while connecting, or a
 *                                     connect() that failed after its port
 *                                     was chosen and before its first SYN
 *                                     left (a route or memory failure,
 *                                     returned by connect() itself). Not
 *                                     in TcpAttemptFails
 *        NQSTAT_A_NETNS_SYSCTLS: NLA_NESTED, the namespace's values as the
 *                                kernel sees them
 *            NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS: NLA_U32
 *            NQSTAT_A_SYSCTL_PORT_RANGE_LOW: NLA_U16
 *            NQSTAT_A_SYSCTL_PORT_RANGE_HIGH: NLA_U16
 *            NQSTAT_A_SYSCTL_TCP_TW_REUSE: NLA_U8
 *            NQSTAT_A_SYSCTL_TCP_TIMESTAMPS: NLA_U8
 *            NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT: NLA_U32, seconds
 *        NQSTAT_A_NETNS_TW_DESTS: NLA_NESTED, remote endpoints with the most
 *                                 TIME_WAIT sockets now, most first; only
 *                                 when NQSTAT_A_TOP_N was given. Each
 *                                 count shown is exact
 *            0: NLA_NESTED
 *                NQSTAT_A_DEST_FAMILY: NLA_U8
 *                NQSTAT_A_DEST_ADDR: NLA_BINARY, 4 or 16 bytes
 *                NQSTAT_A_DEST_PORT: NLA_U16, host byte order
 *                NQSTAT_A_DEST_TW_COUNT: NLA_U32
 *            ...
 *        NQSTAT_A_NETNS_TW_DESTS_TRUNCATED: NLA_FLAG, the list may miss
 *                                 endpoints: more distinct ones than the
 *                                 walk could rank (16384 slots, at most
 *                                 32 probes each), or rows the message
 *                                 had no room for
 *        NQSTAT_A_NETNS_CT: NLA_NESTED, connection tracking (nf_conntrack)
 *                           in the namespace
 *            NQSTAT_A_CT_STATE: NLA_U8, enum nqstat_ct_state; the other
 *                               attributes are present only when it is
 *                               NQSTAT_CT_LOADED
 *            NQSTAT_A_CT_COUNT: NLA_U32, entries now (the namespace's
 *                               net.netfilter.nf_conntrack_count)
 *            NQSTAT_A_CT_PEAK: NLA_U32, highest entry count seen right
 *                              after an entry was allocated (or when read),
 *                              since the module was loaded or the
 *                              namespace created; the kernel keeps none.
 *                              Absent when its hook is unavailable.
 *            NQSTAT_A_CT_LIMIT: NLA_U32, nf_conntrack_max (one value for
 *                               every namespace; the table of each
 *                               namespace holds at most that many entries)
 *            NQSTAT_A_CT_BUCKETS: NLA_U32, nf_conntrack_buckets (hash size,
 *                                 shared by every namespace; writable only
 *                                 in the initial namespace)
 *            NQSTAT_A_CT_TABLE_FULL_DROPS: NLA_U64, packets dropped because
 *                                          the table was full and no entry
 *                                          could be evicted (the kernel's
 *                                          "nf_conntrack: table full,
 *                                          dropping packet"), counted by
 *                                          nqstat since the module was
 *                                          loaded or the namespace created.
 *                                          Absent when its hook is
 *                                          unavailable.
 *            NQSTAT_A_CT_EARLY_DROPS: NLA_U64, entries the kernel evicted
 *                                     (unassured, to make room for a new
 *                                     one) instead of dropping a packet:
 *                                     the kernel's own per-namespace
 *                                     statistic early_drop, since
 *                                     nf_conntrack was loaded
 *            NQSTAT_A_CT_INSERT_FAILED: NLA_U64, the kernel's statistic
 *                                       insert_failed (an entry that could
 *                                       not be inserted: clash or chain too
 *                                       long), since nf_conntrack was loaded
 *            NQSTAT_A_CT_DROPS: NLA_U64, the kernel's statistic drop: every
 *                               packet conntrack dropped, table full among
 *                               other causes, since nf_conntrack was loaded
 *
 * nqstat holds no reference on nf_conntrack: it reads the figures above
 * under a reference taken for the read only, notices nf_conntrack being
 * loaded and unloaded, and attaches its conntrack hooks (listed by
 * GET_STATUS, kind kretprobe, named "nf_conntrack:SYMBOL") while it is.
 *
 * Counters count events since the module first saw the listener, or since
 * its last reset. A listener is first seen when it enters the LISTEN state
 * while the module is loaded, or when the module is loaded if it was
 * listening already (adopted: counted from that moment; its peaks start
 * from the queue lengths it had then).
 * A closed listener stays in the dump for the grace period, then is gone;
 * the listeners of a namespace are gone with the namespace.
 */

#ifndef _UAPI_LINUX_NQSTAT_H
#define _UAPI_LINUX_NQSTAT_H

#define NQSTAT_GENL_NAME "nqstat"
#define NQSTAT_GENL_VERSION 1

enum nqstat_cmd {
	NQSTAT_CMD_UNSPEC,
	NQSTAT_CMD_GET_STATUS,
	NQSTAT_CMD_GET_LISTENERS,
	NQSTAT_CMD_RESET,
	NQSTAT_CMD_GET_NETNS,
	__NQSTAT_CMD_MAX
};

#define NQSTAT_CMD_MAX (__NQSTAT_CMD_MAX - 1)

enum nqstat_attr {
	NQSTAT_A_UNSPEC,
	NQSTAT_A_PAD,
	NQSTAT_A_VERSION,
	NQSTAT_A_KERNEL_RELEASE,
	NQSTAT_A_HOOKS,
	NQSTAT_A_LISTENERS_TRACKED,
	NQSTAT_A_LISTENERS_MAX,
	NQSTAT_A_UNTRACKED_EVENTS,
	NQSTAT_A_GRACE_PERIOD,
	NQSTAT_A_ALL_NETNS,
	NQSTAT_A_FILTER_FAMILY,
	NQSTAT_A_FILTER_ADDR,
	NQSTAT_A_FILTER_PORT,
	NQSTAT_A_LISTENER,
	NQSTAT_A_TOP_N,
	NQSTAT_A_NETNS,
	NQSTAT_A_LISTENERS_ADOPTED,
	NQSTAT_A_LISTENERS_FOREIGN,
	__NQSTAT_A_MAX
};

#define NQSTAT_A_MAX (__NQSTAT_A_MAX - 1)

enum nqstat_hook_attr {
	NQSTAT_A_HOOK_UNSPEC,
	NQSTAT_A_HOOK_NAME,
	NQSTAT_A_HOOK_KIND,
	NQSTAT_A_HOOK_STATE,
	NQSTAT_A_HOOK_ERRNO,
	NQSTAT_A_HOOK_REASON,
	NQSTAT_A_HOOK_MISSED,
	NQSTAT_A_HOOK_PAD,
	NQSTAT_A_HOOK_FEEDS,
	NQSTAT_A_HOOK_FEED,
	__NQSTAT_A_HOOK_MAX
};

#define NQSTAT_A_HOOK_MAX (__NQSTAT_A_HOOK_MAX - 1)

enum nqstat_netns_attr {
	NQSTAT_A_NETNS_UNSPEC,
	NQSTAT_A_NETNS_PAD,
	NQSTAT_A_NETNS_INODE,
	NQSTAT_A_NETNS_COOKIE,
	NQSTAT_A_NETNS_TW_COUNT,
	NQSTAT_A_NETNS_TW_PEAK,
	NQSTAT_A_NETNS_TW_CREATED,
	NQSTAT_A_NETNS_TW_OVERFLOWS,
	NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED,
	NQSTAT_A_NETNS_SYSCTLS,
	NQSTAT_A_NETNS_TW_DESTS,
	NQSTAT_A_NETNS_TW_DESTS_TRUNCATED,
	NQSTAT_A_NETNS_CT,
	NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS,
	NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED,
	NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS,
	NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED,
	NQSTAT_A_NETNS_CONNECT_CLOSED,
	__NQSTAT_A_NETNS_MAX
};

#define NQSTAT_A_NETNS_MAX (__NQSTAT_A_NETNS_MAX - 1)

enum nqstat_sysctl_attr {
	NQSTAT_A_SYSCTL_UNSPEC,
	NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS,
	NQSTAT_A_SYSCTL_PORT_RANGE_LOW,
	NQSTAT_A_SYSCTL_PORT_RANGE_HIGH,
	NQSTAT_A_SYSCTL_TCP_TW_REUSE,
	NQSTAT_A_SYSCTL_TCP_TIMESTAMPS,
	NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT,
	__NQSTAT_A_SYSCTL_MAX
};

#define NQSTAT_A_SYSCTL_MAX (__NQSTAT_A_SYSCTL_MAX - 1)

enum nqstat_dest_attr {
	NQSTAT_A_DEST_UNSPEC,
	NQSTAT_A_DEST_FAMILY,
	NQSTAT_A_DEST_ADDR,
	NQSTAT_A_DEST_PORT,
	NQSTAT_A_DEST_TW_COUNT,
	__NQSTAT_A_DEST_MAX
};

#define NQSTAT_A_DEST_MAX (__NQSTAT_A_DEST_MAX - 1)

enum nqstat_ct_attr {
	NQSTAT_A_CT_UNSPEC,
	NQSTAT_A_CT_PAD,
	NQSTAT_A_CT_STATE,
	NQSTAT_A_CT_COUNT,
	NQSTAT_A_CT_PEAK,
	NQSTAT_A_CT_LIMIT,
	NQSTAT_A_CT_BUCKETS,
	NQSTAT_A_CT_TABLE_FULL_DROPS,
	NQSTAT_A_CT_EARLY_DROPS,
	NQSTAT_A_CT_INSERT_FAILED,
	NQSTAT_A_CT_DROPS,
	__NQSTAT_A_CT_MAX
};

#define NQSTAT_A_CT_MAX (__NQSTAT_A_CT_MAX - 1)

/* Whether nf_conntrack is loaded (and initialised) now. */
enum nqstat_ct_state {
	NQSTAT_CT_NOT_LOADED = 1,
	NQSTAT_CT_LOADED,
};

enum nqstat_hook_kind {
	NQSTAT_HOOK_TRACEPOINT = 1,
	NQSTAT_HOOK_KPROBE,
	NQSTAT_HOOK_KRETPROBE,
	NQSTAT_HOOK_TABLE,	/* a wrapper in each listener's function table */
};

enum nqstat_hook_state {
	NQSTAT_HOOK_ATTACHED = 1,
	NQSTAT_HOOK_UNAVAILABLE,
};

enum nqstat_listener_attr {
	NQSTAT_A_LISTENER_UNSPEC,
	NQSTAT_A_LISTENER_PAD,
	NQSTAT_A_LISTENER_COOKIE,
	NQSTAT_A_LISTENER_NETNS_INODE,
	NQSTAT_A_LISTENER_NETNS_COOKIE,
	NQSTAT_A_LISTENER_FAMILY,
	NQSTAT_A_LISTENER_ADDR,
	NQSTAT_A_LISTENER_PORT,
	NQSTAT_A_LISTENER_IFINDEX,
	NQSTAT_A_LISTENER_STATE,
	NQSTAT_A_LISTENER_BACKLOG,
	NQSTAT_A_LISTENER_CLOSED_MSECS,
	NQSTAT_A_LISTENER_COUNTERS,
	NQSTAT_A_LISTENER_BACKLOG_SOURCE,
	NQSTAT_A_LISTENER_ACCEPTQ_LEN,
	NQSTAT_A_LISTENER_SYNQ_LEN,
	NQSTAT_A_LISTENER_ACCEPTQ_PEAK,
	NQSTAT_A_LISTENER_SYNQ_PEAK,
	NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET,
	NQSTAT_A_LISTENER_SYNQ_PEAK_RESET,
	NQSTAT_A_LISTENER_KERNEL_DROPS,
	NQSTAT_A_LISTENER_RESET_MSECS,
	__NQSTAT_A_LISTENER_MAX
};

#define NQSTAT_A_LISTENER_MAX (__NQSTAT_A_LISTENER_MAX - 1)

enum nqstat_listener_state {
	NQSTAT_LISTENER_LISTENING = 1,
	NQSTAT_LISTENER_CLOSED,
};

/*
 * What set a listener's backlog limit, min(listen() backlog, somaxconn),
 * judged at listen() time: the application's listen() argument (it was
 * below somaxconn), or the somaxconn sysctl (the application asked for at
 * least somaxconn). Absent when it cannot be known (the limit changed by a
 * listen() the module did not see).
 */
enum nqstat_backlog_source {
	NQSTAT_BACKLOG_APPLICATION = 1,
	NQSTAT_BACKLOG_SOMAXCONN,
};

/*
 * Counters of a listener, each an NLA_U64 inside NQSTAT_A_LISTENER_COUNTERS,
 * counted since the listener was first seen or last reset. The drops are
 * attributed from the kernel's own per-CPU MIB increments across the call
 * that made them, so that they add up exactly to the namespace's nstat
 * counters named below.
 *
 * NQSTAT_CTR_HANDSHAKES_COMPLETED: child sockets created from the listener
 *     (final ACK of a three-way handshake, a valid SYN cookie, or a Fast Open
 *     SYN), as TcpPassiveOpens counts them. Hook: af_ops:syn_recv_sock.
 * NQSTAT_CTR_ACCEPTED: children taken from the accept queue by accept().
 *     Hook: proto_ops:accept.
 * NQSTAT_CTR_SYN_QUEUE_DROPS: SYNs dropped because the SYN queue was full and
 *     syncookies were off (TcpExtTCPReqQFullDrop). Hook:
 *     af_ops:conn_request.
 * NQSTAT_CTR_SYN_COOKIES_SENT: SYNs answered with a syncookie because the SYN
 *     queue was full or tcp_syncookies=2 (TcpExtTCPReqQFullDoCookies, less
 *     those then dropped). Hook: af_ops:conn_request.
 * NQSTAT_CTR_SYN_BACKLOG_DROPS: SYNs from peers not proven alive, dropped by
 *     the tcp_max_syn_backlog rule (syncookies off). Hooks:
 *     af_ops:conn_request and kretprobe tcp_peer_is_proven (which the
 *     kernel calls only then).
 * NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN: SYNs dropped because the accept queue was
 *     full (the SYN share of TcpExtListenOverflows). Hook:
 *     af_ops:conn_request.
 * NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS: final ACKs (or cookie ACKs) dropped
 *     because the accept queue was full (the final-ACK share of
 *     TcpExtListenOverflows). Hook: af_ops:syn_recv_sock.
 * NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS: those of the accept-queue
 *     overflows answered with a reset because tcp_abort_on_overflow was set;
 *     the others were dropped silently.
 * NQSTAT_CTR_OTHER_DROPS: the rest of the listener's TcpExtListenDrops in the
 *     same calls: memory, routing or security-module failures, and SYNs to a
 *     broadcast or multicast address.
 * NQSTAT_CTR_SYNACK_RETRANSMITS: SYN-ACKs retransmitted for the listener's
 *     requests. Hook: tcp:tcp_retransmit_synack.
 *
 * TcpExtListenDrops of a namespace is the sum of the five drop counters of
 * its listeners, as long as the hooks were attached and the listeners
 * tracked (see NQSTAT_A_UNTRACKED_EVENTS).
 */
enum nqstat_counter {
	NQSTAT_CTR_UNSPEC,
	NQSTAT_CTR_PAD,
	NQSTAT_CTR_HANDSHAKES_COMPLETED,
	NQSTAT_CTR_ACCEPTED,
	NQSTAT_CTR_SYN_QUEUE_DROPS,
	NQSTAT_CTR_SYN_COOKIES_SENT,
	NQSTAT_CTR_SYN_BACKLOG_DROPS,
	NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN,
	NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS,
	NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS,
	NQSTAT_CTR_OTHER_DROPS,
	NQSTAT_CTR_SYNACK_RETRANSMITS,
	__NQSTAT_CTR_MAX
};

#define NQSTAT_CTR_MAX (__NQSTAT_CTR_MAX - 1)

#endif /* _UAPI_LINUX_NQSTAT_H */
