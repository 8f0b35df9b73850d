/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The prose of "recommend": every finding's title (its sysctl, or what to
 * change without one), reasoning and risk, in one table keyed by an id
 * (rules/messages.c). The rules compute; the words are here. The
 * reasoning and risk are printf formats: the comment of each id lists the
 * arguments its rule passes, in order.
 */
#ifndef NQSTAT_RULES_MESSAGES_H
#define NQSTAT_RULES_MESSAGES_H

enum rq_msg_id {
	/* listener.c */
	RQ_ACCEPT_SLOW,		/* R: endpoint, accepted, offered (u64) */
	RQ_SYN_FLOOD,		/* R: endpoint, cookies, handshakes (u64) */
	/*
	 * R: endpoint (string), backlog, target, entries, drops (u64),
	 * window (string), headroom (int), parts [0] or "" (somaxconn
	 * caps), [1] or "" (capped below the demand), [2] or "" (cookies
	 * only); K: socket, request bytes (unsigned), KiB (u64)
	 */
	RQ_LISTEN_BACKLOG,
	/*
	 * R: target, drops (u64), window (string), headroom (int), max
	 * (unsigned), part [1] or ""; K: KiB (u64), socket, request bytes
	 * (unsigned), part [0] or ""
	 */
	RQ_SOMAXCONN,
	RQ_SOMAXCONN_CLAMP,	/* R: endpoint (string), somaxconn (u64) */
	RQ_SOMAXCONN_AT_MAX,	/* R: somaxconn (u64), max (unsigned) */
	RQ_SYNCOOKIES_OFF,
	RQ_SYNCOOKIES_2,
	/* R: target (u64), headroom (int); K: bytes (unsigned), KiB (u64) */
	RQ_MAX_SYN_BACKLOG,
	/* R: retries, seconds, target, seconds (u64); K: target (u64) */
	RQ_SYNACK_RETRIES,
	RQ_ABORT_ON_OVERFLOW,
	/* timewait.c */
	/* R: target (u64), headroom (int); K: bytes (unsigned), KiB (u64) */
	RQ_TW_BUCKETS,
	/* R: ports (u64), headroom (int), lowest (unsigned) */
	RQ_PORT_RANGE,
	RQ_TW_REUSE,		/* R: value (u64), part [0] (2) or [1] */
	RQ_CONN_REUSE,
	RQ_TIMESTAMPS,
	RQ_TW_RECYCLE,
	RQ_CONF_TW_RECYCLE,
	RQ_CONF_TW_TIMEOUT,
	/* conntrack.c */
	/*
	 * R: target (u64), headroom, share (int), entry, bucket bytes
	 * (unsigned), MiB, buckets (u64)
	 */
	RQ_CT_MAX,
	RQ_CT_MAX_AT_BUDGET,	/* R: share (int), MiB (u64), bytes (unsigned) */
	RQ_CT_BUCKETS,		/* R: entries (int), part [0] or [1]; K: bytes (unsigned) */
	/* sockets.c */
	RQ_FIN_TIMEOUT,		/* R: target (u64), floor (unsigned) */
	/* R: target (u64), headroom, share (int), bytes (unsigned); K: KiB (unsigned) */
	RQ_MAX_ORPHANS,
	RQ_CLOSE_WAIT,
	/* connect.c */
	/*
	 * R: part (string), retries, seconds, target, seconds (u64), floor
	 * (unsigned); K: SYNs, seconds (u64)
	 */
	RQ_SYN_RETRIES,
	/* R: part [0] (timed out) or [1]; parts [2]: where to look */
	RQ_CONNECT_DEST,
	/* losses.c */
	/* R: drops (u64), window (string), part [0] or "" (no window) */
	RQ_UNTRACKED_DROPS,
	RQ_KERNEL_LOSSES,	/* R: window (string) */
	RQ_NO_MODULE_LOSSES,	/* R: window (string) */
	RQ_N_MSG
};

/* Phrases a rule puts into its reasoning or risk, by index. */
#define RQ_MAX_PARTS 4

struct rq_msg {
	const char *sysctl;	/* the sysctl to change; NULL: none */
	const char *subject;	/* what to change without a sysctl */
	const char *reasoning;	/* printf format */
	const char *risk;	/* printf format */
	const char *parts[RQ_MAX_PARTS];
};

extern const struct rq_msg rq_msgs[RQ_N_MSG];

#endif /* NQSTAT_RULES_MESSAGES_H */
