// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport to the nqstat module.
 *
 * Requests are answered on a libnl socket with per-request callbacks: every
 * reply is matched to the request by sequence number, errors keep the
 * kernel's errno (libnl would translate it to its own codes) and the
 * extended ack message, which needs NETLINK_EXT_ACK.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#include "nl/nl.h"
#include "model/netns.h"

/* A dump interrupted by a concurrent change is retried this many times. */
#define DUMP_TRIES 3

struct nq_nl {
	struct nl_sock *sk;
	int family;
	int nlerr;		/* libnl error of the last failure, or 0 */
	const char *why;	/* what was wrong with a reply, or NULL */
	char *extack;		/* kernel's message for the last failure */
};

struct request {
	struct nq_nl *nl;
	uint32_t seq;
	bool dump;
	bool reply;		/* not a dump: a reply is expected */
	bool done;
	bool interrupted;	/* the dump was inconsistent */
	int err;		/* 0 or -errno */
	unsigned int replies;
	int (*parse)(struct nlmsghdr *nlh, void *arg, const char **why);
	void *arg;
};

static void reset_error(struct nq_nl *nl)
{
	nl->nlerr = 0;
	nl->why = NULL;
	free(nl->extack);
	nl->extack = NULL;
}

/* Maps a libnl error to the closest errno, remembering the libnl one. */
static int libnl_error(struct nq_nl *nl, int nlerr)
{
	if (nlerr < 0)
		nlerr = -nlerr;
	nl->nlerr = nlerr;
	switch (nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
	case NLE_NOACCESS:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
	case NLE_DUMP_INTR:
		return -EINTR;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_MSG_TRUNC:
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_BAD_SOCK:
		return -EBADF;
	}
	return -EIO;
}

int nq_nl_open(struct nq_nl **out)
{
	struct nq_nl *nl;
	int one = 1;
	int ret;

	*out = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	*out = nl;
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	ret = genl_connect(nl->sk);
	if (ret < 0)
		return libnl_error(nl, ret);
	/* Receive replies of any size whole, not truncated. */
	nl_socket_enable_msg_peek(nl->sk);
	/*
	 * Best effort: kernels before 4.12 have no extended acks, and
	 * errors are then reported without the kernel's message.
	 */
	(void)setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));
	ret = genl_ctrl_resolve(nl->sk, NQSTAT_GENL_NAME);
	if (ret < 0)
		return libnl_error(nl, ret);
	nl->family = ret;
	/* Acks are requested explicitly; replies are matched by seq below. */
	nl_socket_disable_auto_ack(nl->sk);
	reset_error(nl);
	return 0;
}

void nq_nl_close(struct nq_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl->extack);
	free(nl);
}

const char *nq_nl_strerror(const struct nq_nl *nl, int err)
{
	if (nl && nl->why)
		return nl->why;
	if (nl && nl->nlerr)
		return nl_geterror(nl->nlerr);
	return strerror(err < 0 ? -err : err);
}

const char *nq_nl_extack(const struct nq_nl *nl)
{
	return nl ? nl->extack : NULL;
}

static void fail(struct request *r, int err, const char *why)
{
	r->err = err;
	r->done = true;
	if (why)
		r->nl->why = why;
}

/* Records the error code and extack message of an ERROR or DONE message. */
static void finish(struct request *r, struct nlmsghdr *nlh)
{
	const char *why = NULL;
	char *extack = NULL;
	int error = 0, ret;

	ret = nq_parse_ack(nlh, &error, &extack, &why);
	if (ret < 0) {
		fail(r, ret, why);
		return;
	}
	free(r->nl->extack);
	r->nl->extack = error ? extack : NULL;
	if (!error)
		free(extack);
	r->err = error;
	r->done = true;
}

static int seq_cb(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	/* Skip leftovers of an earlier, abandoned request. */
	return nlmsg_hdr(msg)->nlmsg_seq == r->seq ? NL_OK : NL_SKIP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request *r = arg;
	const char *why = NULL;
	int ret;

	if (r->done)
		return NL_SKIP;
	if (nlh->nlmsg_type != r->nl->family) {
		fail(r, -EBADMSG, "reply of an unexpected message type");
		return NL_STOP;
	}
	if (!r->dump && !r->reply) {
		fail(r, -EBADMSG, "reply to a request that has none");
		return NL_STOP;
	}
	if (!r->dump && r->replies) {
		fail(r, -EBADMSG, "more than one reply to a request");
		return NL_STOP;
	}
	ret = r->parse(nlh, r->arg, &why);
	if (ret < 0) {
		fail(r, ret, why);
		return NL_STOP;
	}
	r->replies++;
	return NL_OK;
}

static int intr_cb(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	(void)msg;
	/* Keep reading until DONE, so that no part of the dump is left. */
	r->interrupted = true;
	return NL_OK;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	finish(arg, nlmsg_hdr(msg));
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	/* A dump ends with DONE, never with an ack. */
	if (r->dump)
		return NL_OK;
	finish(r, nlmsg_hdr(msg));
	return NL_STOP;
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl passes the payload of the NLMSG_ERROR message. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	(void)nla;
	finish(arg, nlh);
	return NL_STOP;
}

/*
 * Sends msg (consumed) and processes replies until the request is done. A
 * request that is not a dump gets exactly one reply if parse is not NULL,
 * else none (only the ack).
 */
static int transact(struct nq_nl *nl, struct nl_msg *msg, bool dump,
		    int (*parse)(struct nlmsghdr *, void *, const char **),
		    void *arg)
{
	struct request r = {
		.nl = nl,
		.dump = dump,
		.reply = parse != NULL,
		.parse = parse,
		.arg = arg,
	};
	struct nl_cb *cb;
	int ret;

	reset_error(nl);
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_cb, &r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, intr_cb, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &r);

	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		ret = libnl_error(nl, ret);
		goto out;
	}
	r.seq = nlmsg_hdr(msg)->nlmsg_seq;
	while (!r.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (r.done)
			break;
		if (ret < 0) {
			ret = libnl_error(nl, ret);
			goto out;
		}
	}
	ret = r.err;
	if (!ret && r.interrupted) {
		nl->why = "dump interrupted by concurrent changes";
		ret = -EAGAIN;
	} else if (!ret && !dump && r.reply && !r.replies) {
		nl->why = "no reply to a request";
		ret = -EBADMSG;
	}
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return ret;
}

static struct nl_msg *new_request(struct nq_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, NQSTAT_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int parse_status(struct nlmsghdr *nlh, void *arg, const char **why)
{
	return nq_parse_status(nlh, arg, why);
}

int nq_nl_get_status(struct nq_nl *nl, struct nq_status *st)
{
	struct nl_msg *msg;
	int ret;

	nq_status_init(st);
	msg = new_request(nl, NQSTAT_CMD_GET_STATUS, NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	ret = transact(nl, msg, false, parse_status, st);
	if (ret < 0)
		nq_status_free(st);
	return ret;
}

static int parse_listener(struct nlmsghdr *nlh, void *arg, const char **why)
{
	struct nq_listener l;
	int ret;

	ret = nq_parse_listener(nlh, &l, why);
	if (ret < 0)
		return ret;
	return nq_listeners_push(arg, &l);
}

static int put_filter(struct nl_msg *msg, const struct nq_filter *f)
{
	if (f->has_addr) {
		int len = f->addr.family == AF_INET ? 4 : 16;

		if (nla_put_u8(msg, NQSTAT_A_FILTER_FAMILY,
			       f->addr.family) < 0 ||
		    nla_put(msg, NQSTAT_A_FILTER_ADDR, len, f->addr.bytes) < 0)
			return -EMSGSIZE;
	}
	if (f->has_port && nla_put_u16(msg, NQSTAT_A_FILTER_PORT, f->port) < 0)
		return -EMSGSIZE;
	return 0;
}

static int put_dump_attrs(struct nl_msg *msg, const struct nq_dump_req *req)
{
	if (req->all_netns && nla_put_flag(msg, NQSTAT_A_ALL_NETNS) < 0)
		return -EMSGSIZE;
	return put_filter(msg, &req->filter);
}

int nq_nl_get_listeners(struct nq_nl *nl, const struct nq_dump_req *req,
			struct nq_listeners *ls)
{
	size_t base = ls->n;
	struct nl_msg *msg;
	int ret = 0, try;

	for (try = 0; try < DUMP_TRIES; try++) {
		ls->n = base;
		msg = new_request(nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		ret = put_dump_attrs(msg, req);
		if (ret < 0) {
			nlmsg_free(msg);
			return ret;
		}
		ret = transact(nl, msg, true, parse_listener, ls);
		if (ret != -EAGAIN)
			break;
	}
	if (ret < 0)
		ls->n = base;
	return ret;
}

static int parse_netns(struct nlmsghdr *nlh, void *arg, const char **why)
{
	struct nq_netns ns;
	int ret;

	ret = nq_parse_netns(nlh, &ns, why);
	if (ret < 0)
		return ret;
	ret = nq_netns_list_push(arg, &ns);
	if (ret < 0)
		nq_netns_free(&ns);
	return ret;
}

int nq_nl_get_netns(struct nq_nl *nl, const struct nq_netns_req *req,
		    struct nq_netns_list *l)
{
	size_t base = l->n;
	struct nl_msg *msg;
	int ret = 0, try;

	for (try = 0; try < DUMP_TRIES; try++) {
		/* Drop what an earlier try appended. */
		while (l->n > base)
			nq_netns_free(&l->v[--l->n]);
		msg = new_request(nl, NQSTAT_CMD_GET_NETNS, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		if ((req->all_netns &&
		     nla_put_flag(msg, NQSTAT_A_ALL_NETNS) < 0) ||
		    (req->top_n &&
		     nla_put_u32(msg, NQSTAT_A_TOP_N, req->top_n) < 0)) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
		ret = transact(nl, msg, true, parse_netns, l);
		if (ret != -EAGAIN)
			break;
	}
	if (ret < 0) {
		while (l->n > base)
			nq_netns_free(&l->v[--l->n]);
	}
	return ret;
}

int nq_nl_reset(struct nq_nl *nl, const struct nq_filter *f)
{
	struct nl_msg *msg;
	int ret;

	msg = new_request(nl, NQSTAT_CMD_RESET, NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	ret = put_filter(msg, f);
	if (ret < 0) {
		nlmsg_free(msg);
		return ret;
	}
	return transact(nl, msg, false, NULL, NULL);
}
