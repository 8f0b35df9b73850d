/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel itself says about a namespace's TCP sockets, whatever
 * the module tracks: its loss counters (the MIB of /proc/net/netstat),
 * the orphan count of /proc/net/sockstat, and sockets as sock_diag
 * (NETLINK_SOCK_DIAG, inet_diag) reports them. Records and pure parsers;
 * no I/O.
 */
#ifndef NQSTAT_MODEL_SOCKETS_H
#define NQSTAT_MODEL_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/*
 * The namespace's loss counters, TcpExt fields of /proc/net/netstat
 * (the kernel's LINUX_MIB_*, per namespace, since it was created):
 * indexes of nq_snapshot.mib[].
 */
enum nq_mib {
	NQ_MIB_LISTEN_OVERFLOWS,	/* accept queue full (SYN, final ACK) */
	NQ_MIB_LISTEN_DROPS,		/* every tcp_listendrop() */
	NQ_MIB_REQQ_FULL_DROP,		/* SYN queue full, cookies off */
	NQ_MIB_REQQ_FULL_DO_COOKIES,	/* SYN queue full, cookie sent */
	NQ_MIB_TW_OVERFLOW,		/* TCPTimeWaitOverflow */
	NQ_N_MIB
};

/* "ListenOverflows" etc. (the field name of netstat); NULL out of range. */
const char *nq_mib_name(unsigned int mib);

/*
 * A socket of a SOCK_DIAG_BY_FAMILY dump (struct inet_diag_msg and the
 * INET_DIAG_SKMEMINFO attribute when asked for).
 */
struct nq_diag_sock {
	uint8_t family;			/* AF_INET, AF_INET6 */
	uint8_t state;			/* TCP_* */
	uint8_t addr[16];		/* local address, network order */
	uint16_t port;			/* local port */
	uint32_t inode;			/* 0: no file (an orphan) */
	uint64_t cookie;		/* the socket cookie */
	/* Listeners: accept queue length and limit (backlog). */
	uint32_t rqueue;
	uint32_t wqueue;
	bool has_drops;
	uint32_t drops;			/* sk_drops, SK_MEMINFO_DROPS */
};

/*
 * A listener record of what sock_diag alone tells (no module): address,
 * port, accept queue length and limit, sk_drops, cookie; the rest
 * unknown.
 */
void nq_listener_from_diag(const struct nq_diag_sock *d,
			   struct nq_listener *l);

/* Every listener of a dump (the kernel's order). */
struct nq_diag_list {
	struct nq_diag_sock *v;
	size_t n, cap;
};

/* Returns 0 or -ENOMEM. */
int nq_diag_list_push(struct nq_diag_list *l, const struct nq_diag_sock *d);
void nq_diag_list_free(struct nq_diag_list *l);

/*
 * A TcpExt pair of /proc/net/netstat: the line of names and the line of
 * values that follows it, both "TcpExt: ...". Sets the counters of enum
 * nq_mib found in them into mib[] and their bits (1 << NQ_MIB_*) in
 * *present. Returns 0, -ENOENT for lines of another protocol, -EINVAL
 * when they do not pair (prefixes differ, counts differ, not a number).
 */
int nq_parse_netstat(const char *names, const char *values, uint64_t *mib,
		     uint32_t *present);

/*
 * "TCP: inuse 5 orphan 2 tw 0 alloc 7 mem 1" of /proc/net/sockstat: the
 * orphan count (the kernel's tcp_orphan_count, what tcp_max_orphans
 * bounds, for the whole host). -ENOENT for another line, -EINVAL.
 */
int nq_parse_sockstat_line(const char *line, uint64_t *orphans);

#endif /* NQSTAT_MODEL_SOCKETS_H */
