/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sock_diag (NETLINK_SOCK_DIAG, inet_diag), as ss(8) reads it: the
 * namespace's listening sockets with their drops, and its CLOSE_WAIT and
 * FIN_WAIT2 sockets, the states filtered in the kernel.
 */
#ifndef NQSTAT_NL_SOCKDIAG_H
#define NQSTAT_NL_SOCKDIAG_H

#include <stddef.h>

#include "model/snapshot.h"
#include "model/sockets.h"

/*
 * One message of a SOCK_DIAG_BY_FAMILY reply, len bytes from its
 * struct nlmsghdr: struct inet_diag_msg, then its attributes (the
 * drops of INET_DIAG_SKMEMINFO). Pure. Returns 0, -EINVAL for a message
 * of another type or family, truncated or malformed.
 */
int nq_sockdiag_parse(const void *msg, size_t len, struct nq_diag_sock *sk);

/*
 * The dumps, in the current network namespace, for IPv4 and IPv6 (none
 * when IPv6 is not there), into s: listeners (has_diag_listeners,
 * ldrops), then CLOSE_WAIT and FIN_WAIT2 (has_sockets). Returns 0 or
 * -errno (s then holds what was read before).
 */
int nq_sockdiag_read(struct nq_snapshot *s);

/*
 * Every TCP listener of the current namespace, IPv4 then IPv6, with its
 * accept queue (length, limit), sk_drops, inode and cookie, into l.
 * Returns 0 or -errno (l then holds what was read before).
 */
int nq_sockdiag_listeners(struct nq_diag_list *l);

#endif /* NQSTAT_NL_SOCKDIAG_H */
