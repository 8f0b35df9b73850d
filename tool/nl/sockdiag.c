// SPDX-License-Identifier: GPL-2.0
/*
 * sock_diag transport: SOCK_DIAG_BY_FAMILY dumps over libnl, the states
 * filtered in the kernel (idiag_states), as ss(8) asks for them: only
 * the sockets wanted cross to user space, even with 10^6 of them.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <sys/socket.h>

#include "nl/sockdiag.h"

struct dump {
	struct nq_snapshot *s;
	struct nq_diag_list *l;	/* instead of s: every socket */
	int err;
};

static int valid_cb(struct nl_msg *m, void *arg)
{
	struct nlmsghdr *nh = nlmsg_hdr(m);
	struct dump *d = arg;
	struct nq_diag_sock sk;

	if (d->err || nq_sockdiag_parse(nh, nh->nlmsg_len, &sk) < 0)
		return NL_SKIP;
	d->err = d->l ? nq_diag_list_push(d->l, &sk) :
			 nq_snapshot_add_diag(d->s, &sk);
	return d->err ? NL_STOP : NL_OK;
}

static int dump(struct nl_sock *nls, struct nq_snapshot *s,
		struct nq_diag_list *l, uint8_t family, uint32_t states,
		uint8_t ext)
{
	struct inet_diag_req_v2 req = {
		.sdiag_family = family,
		.sdiag_protocol = IPPROTO_TCP,
		.idiag_ext = ext,
		.idiag_states = states,
	};
	struct dump d = { .s = s, .l = l };
	int ret;

	ret = nl_socket_modify_cb(nls, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &d);
	if (ret < 0)
		return -EIO;
	ret = nl_send_simple(nls, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &req,
			     sizeof(req));
	if (ret < 0)
		return ret == -NLE_PERM ? -EPERM : -EIO;
	ret = nl_recvmsgs_default(nls);
	if (d.err)
		return d.err;
	if (ret < 0)
		return ret == -NLE_OBJ_NOTFOUND || ret == -NLE_NOADDR ||
		       ret == -NLE_AF_NOSUPPORT ? -ENOENT : -EIO;
	return 0;
}

/* Both families; a kernel without IPv6 has no AF_INET6 dump. */
static int dump_all(struct nl_sock *nls, struct nq_snapshot *s,
		    struct nq_diag_list *l, uint32_t states, uint8_t ext)
{
	int ret;

	ret = dump(nls, s, l, AF_INET, states, ext);
	if (ret)
		return ret;
	ret = dump(nls, s, l, AF_INET6, states, ext);
	return ret == -ENOENT ? 0 : ret;
}

static int open_sockdiag(struct nl_sock **nls)
{
	*nls = nl_socket_alloc();
	if (!*nls)
		return -ENOMEM;
	if (nl_connect(*nls, NETLINK_SOCK_DIAG) < 0) {
		nl_socket_free(*nls);
		return -EIO;
	}
	return 0;
}

/* Listeners, with SK_MEMINFO_DROPS. */
#define LISTEN_STATES	(1U << TCP_LISTEN)
#define LISTEN_EXT	(1U << (INET_DIAG_SKMEMINFO - 1))

int nq_sockdiag_read(struct nq_snapshot *s)
{
	struct nl_sock *nls;
	int ret = open_sockdiag(&nls);

	if (ret)
		return ret;
	ret = dump_all(nls, s, NULL, LISTEN_STATES, LISTEN_EXT);
	if (!ret) {
		s->has_diag_listeners = true;
		ret = dump_all(nls, s, NULL,
			       1U << TCP_CLOSE_WAIT | 1U << TCP_FIN_WAIT2, 0);
	}
	if (!ret) {
		s->has_sockets = true;
		nq_snapshot_sort_close_wait(s);
		nq_snapshot_sort_cw_socks(s);
	}
	nl_socket_free(nls);
	return ret;
}

int nq_sockdiag_listeners(struct nq_diag_list *l)
{
	struct nl_sock *nls;
	int ret = open_sockdiag(&nls);

	if (ret)
		return ret;
	ret = dump_all(nls, NULL, l, LISTEN_STATES, LISTEN_EXT);
	nl_socket_free(nls);
	return ret;
}
