/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "recommend": the rule engine. A pure function of a snapshot (and of an
 * earlier one, for rates over a window) to findings: what to change, to
 * which value, on which evidence. No I/O, no global state.
 */
#ifndef NQSTAT_RECOMMEND_H
#define NQSTAT_RECOMMEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/findings.h"
#include "model/snapshot.h"

/*
 * The constants of the rules, in one place (nqstat(8), RECOMMEND).
 *
 * Headroom: a limit is sized to twice the observed need, then rounded up
 * (queues and tables to a power of two, tcp_max_tw_buckets to 1024).
 */
#define NQ_REC_HEADROOM 2
/*
 * A listener's backlog: the kernel takes any int, but every queued
 * connection is a full socket; nqstat never suggests more than this.
 */
#define NQ_REC_BACKLOG_MAX 65535U
/*
 * Memory of a queued connection: a child waiting in the accept queue is a
 * full socket (the TCPv6 slab object, 2496 bytes on x86-64, the larger of
 * TCP and TCPv6), a request in the SYN queue a request_sock_TCP (320).
 */
#define NQ_REC_SOCK_BYTES 2496U
#define NQ_REC_REQSK_BYTES 320U
/* Half-open requests that never complete: SYN-ACKs retransmitted > this x handshakes. */
#define NQ_REC_SYNACK_RTX_RATIO 1
/* tcp_synack_retries is never suggested below this: 2 = 7 s of retries. */
#define NQ_REC_SYNACK_RETRIES_MIN 2
#define NQ_REC_SYNACK_RETRIES_TARGET 3	/* 15 s: 1 + 2 + 4 + 8 */
/* Cookies with fewer handshakes than cookies / this: a flood, not load. */
#define NQ_REC_FLOOD_RATIO 10
/* An application takes less than this share of what is offered: slow. */
#define NQ_REC_SLOW_ACCEPT 0.9
/* TIME_WAIT lasts TCP_TIMEWAIT_LEN, 60 s, fixed in the kernel. */
#define NQ_REC_TIMEWAIT_S 60
/* A limit is "near" at this share: tw buckets, conntrack, orphans. */
#define NQ_REC_NEAR 0.9
/*
 * Memory per TIME_WAIT socket: struct tcp_timewait_sock is about 200
 * bytes on x86-64, its slab object (tw_sock_TCP) 256 with the bind bucket
 * share; tables are kept within 1/NQ_REC_MEM_SHARE of MemTotal.
 */
#define NQ_REC_TW_BYTES 256U
/*
 * Memory per conntrack entry: struct nf_conn holds both tuples
 * (tuplehash[IP_CT_DIR_MAX]); its slab object (nf_conntrack) is 320 bytes
 * on x86-64 without extensions. Plus one hlist_nulls_head, 8 bytes, per
 * hash bucket on 64-bit.
 */
#define NQ_REC_CT_ENTRY_BYTES 320U
#define NQ_REC_CT_BUCKET_BYTES 8U
/* Entries per bucket at a full table: the kernel's default, max = buckets. */
#define NQ_REC_CT_ENTRIES_PER_BUCKET 1
/* An orphan may hold up to 64 KB of unswappable memory (ip-sysctl.rst). */
#define NQ_REC_ORPHAN_BYTES 65536U
/* Share of MemTotal a table may take (1/8). */
#define NQ_REC_MEM_SHARE 8
/* ip_local_port_range: lowest bound suggested, and the highest port. */
#define NQ_REC_PORT_LOW_MIN 1024U
#define NQ_REC_PORT_HIGH 65535U
/* tcp_fin_timeout: target and floor (the seeds' 2 is never suggested). */
#define NQ_REC_FIN_TIMEOUT_TARGET 30U
#define NQ_REC_FIN_TIMEOUT_MIN 10U
/* Orphaned FIN_WAIT2 sockets, CLOSE_WAIT sockets of a port: "many". */
#define NQ_REC_FIN_WAIT2_MANY 1000U
#define NQ_REC_CLOSE_WAIT_MANY 100U
/*
 * CLOSE_WAIT sockets of a port that stayed so for a whole window (the
 * same sockets, by cookie, in both snapshots): an application that does
 * not close, whatever their number.
 */
#define NQ_REC_CLOSE_WAIT_STUCK 10U
/*
 * tcp_syn_retries (rules/connect.c): suggested for proxies, never below the
 * floor (the kernel's own minimum is 1; 2 survives two lost SYNs). The
 * kernel's maximum, TCP_RTO_MAX in seconds, and the share of the full
 * wait from which failed attempts are taken to have timed out.
 */
#define NQ_REC_SYN_RETRIES_TARGET 3
#define NQ_REC_SYN_RETRIES_MIN 2
#define NQ_REC_SYN_RETRIES_MAX 127
#define NQ_REC_RTO_MAX_S 120
#define NQ_REC_RTO_DOUBLINGS 6	/* ilog2(TCP_RTO_MAX / 1 s) */
#define NQ_REC_TIMED_OUT_SHARE 0.9

/*
 * Seconds a connect() to a destination that never answers waits before it
 * gives up (ETIMEDOUT), with tcp_syn_retries retries and
 * tcp_syn_linear_timeouts linear (0 before Linux 6.5), as the kernel's
 * tcp_write_timeout() decides (rules/connect.c); *sent (when not NULL):
 * the SYN retransmissions it makes. 2^(retries + 1) - 1 without linear
 * timeouts while retries <= 6.
 */
uint64_t nq_syn_timeout_s(uint64_t retries, uint64_t linear, uint64_t *sent);

/*
 * The findings for snapshot cur, sorted by severity (stable otherwise).
 * prev, when not NULL, is an earlier snapshot of the same namespace: the
 * rules then use the counters' increase and rates over the window between
 * them; else the counters since the module first saw each listener.
 * Returns 0 or -ENOMEM (f then holds nothing).
 */
int nq_recommend(const struct nq_snapshot *cur, const struct nq_snapshot *prev,
		 struct nq_findings *f);



/* Rounding helpers, exposed for the tests. */
uint64_t nq_round_pow2(uint64_t v);	/* next power of two >= v, 1 for 0 */
uint64_t nq_round_up(uint64_t v, uint64_t step);

#endif /* NQSTAT_RECOMMEND_H */
