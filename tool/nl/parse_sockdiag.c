// SPDX-License-Identifier: GPL-2.0
/*
 * A sock_diag reply message into a model record. Pure: the fuzzer and
 * the unit tests feed it any bytes.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>

#include "nl/sockdiag.h"

int nq_sockdiag_parse(const void *msg, size_t len, struct nq_diag_sock *sk)
{
	const struct nlmsghdr *nh = msg;
	struct inet_diag_msg d;
	const unsigned char *p;
	size_t off, end;

	if (len < NLMSG_HDRLEN || nh->nlmsg_len < NLMSG_HDRLEN ||
	    nh->nlmsg_len > len || nh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    nh->nlmsg_len - NLMSG_HDRLEN < sizeof(d))
		return -EINVAL;
	p = (const unsigned char *)msg;
	memcpy(&d, p + NLMSG_HDRLEN, sizeof(d));
	if (d.idiag_family != AF_INET && d.idiag_family != AF_INET6)
		return -EINVAL;
	memset(sk, 0, sizeof(*sk));
	sk->family = d.idiag_family;
	sk->state = d.idiag_state;
	memcpy(sk->addr, d.id.idiag_src,
	       d.idiag_family == AF_INET ? 4 : 16);
	sk->port = ntohs(d.id.idiag_sport);
	sk->inode = d.idiag_inode;
	sk->cookie = (uint64_t)d.id.idiag_cookie[1] << 32 |
		     d.id.idiag_cookie[0];
	sk->rqueue = d.idiag_rqueue;
	sk->wqueue = d.idiag_wqueue;
	end = nh->nlmsg_len;
	for (off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(d)); off < end;) {
		struct rtattr rta;

		if (end - off < sizeof(rta))
			return -EINVAL;
		memcpy(&rta, p + off, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || rta.rta_len > end - off)
			return -EINVAL;
		if (rta.rta_type == INET_DIAG_SKMEMINFO) {
			uint32_t drops;

			if (rta.rta_len - RTA_LENGTH(0) <
			    (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t))
				return -EINVAL;
			memcpy(&drops, p + off + RTA_LENGTH(0) +
			       SK_MEMINFO_DROPS * sizeof(uint32_t),
			       sizeof(drops));
			sk->has_drops = true;
			sk->drops = drops;
		}
		if (RTA_ALIGN(rta.rta_len) >= end - off)
			break;
		off += RTA_ALIGN(rta.rta_len);
	}
	return 0;
}
