// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sock_diag.h>

#include "nq_lib.h"

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define NLA_DATA(a) ((void *)((char *)(a) + NLA_HDRLEN))
#define NLA_PAYLOAD(a) ((int)(a)->nla_len - NLA_HDRLEN)
#define nla_for_each(a, head, len)					\
	for (a = (struct nlattr *)(head);				\
	     (len) >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&	\
	     a->nla_len <= (len);					\
	     (len) -= NLA_ALIGN(a->nla_len),				\
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))

static int nq_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static uint64_t nq_get_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, NLA_DATA(a), sizeof(v));
	return v;
}

static uint32_t nq_get_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, NLA_DATA(a), sizeof(v));
	return v;
}

static uint16_t nq_get_u16(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, NLA_DATA(a), sizeof(v));
	return v;
}

static uint8_t nq_get_u8(const struct nlattr *a)
{
	return *(uint8_t *)NLA_DATA(a);
}

static void nq_get_str(const struct nlattr *a, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s", NLA_PAYLOAD(a), (char *)NLA_DATA(a));
}

void nq_req_init(struct nq_req *r, const struct nq_nl *nl, uint8_t cmd,
		 uint16_t flags)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = nl->family;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->gh.cmd = cmd;
	r->gh.version = NQSTAT_GENL_VERSION;
}

void nq_req_put(struct nq_req *r, uint16_t type, const void *data,
		uint16_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(NLA_DATA(a), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/*
 * The extack message of an error reply, if the kernel sent one: after the
 * struct nlmsgerr (and the echoed request unless capped) of an NLMSG_ERROR,
 * after the error code of an NLMSG_DONE.
 */
static void nq_parse_extack(struct nq_nl *nl, const struct nlmsghdr *nh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	size_t off = sizeof(*e);
	struct nlattr *a;
	int len;

	nl->extack[0] = '\0';
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nh->nlmsg_type == NLMSG_DONE)
		off = sizeof(int);
	else if (!(nh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	len = (int)nh->nlmsg_len - NLMSG_HDRLEN - (int)off;
	nla_for_each(a, (char *)e + off, len)
		if (nq_attr_type(a) == NLMSGERR_ATTR_MSG)
			nq_get_str(a, nl->extack, sizeof(nl->extack));
}

/* @size: the receive buffer, at most 64 KiB; a message cut is -EMSGSIZE. */
static int nq_recv_size(struct nq_nl *nl, uint32_t seq, nq_msg_cb cb,
			void *arg, size_t size)
{
	static char buf[65536];
	int err = 0;

	for (;;) {
		ssize_t n = recv(nl->fd, buf, size, MSG_TRUNC);
		struct nlmsghdr *nh;

		if (n < 0)
			return -errno;
		if ((size_t)n > size)
			return -EMSGSIZE;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				if (e->error)
					nq_parse_extack(nl, nh);
				return e->error ? e->error : err;
			}
			if (nh->nlmsg_type == NLMSG_DONE) {
				const int *v = NLMSG_DATA(nh);

				if (*v < 0)
					nq_parse_extack(nl, nh);
				return *v < 0 ? *v : err;
			}
			if (cb && !err)
				err = cb(nh, arg);
		}
	}
}

static int nq_req_send_size(struct nq_nl *nl, struct nq_req *r, nq_msg_cb cb,
			    void *arg, size_t size)
{
	r->nh.nlmsg_seq = ++nl->seq;
	nl->extack[0] = '\0';
	if (send(nl->fd, r, r->nh.nlmsg_len, 0) < 0)
		return -errno;
	return nq_recv_size(nl, r->nh.nlmsg_seq, cb, arg, size);
}

int nq_req_send(struct nq_nl *nl, struct nq_req *r, nq_msg_cb cb, void *arg)
{
	return nq_req_send_size(nl, r, cb, arg, 65536);
}

static int nq_family_cb(const struct nlmsghdr *nh, void *arg)
{
	const struct genlmsghdr *gh = NLMSG_DATA(nh);
	struct nlattr *a;
	int len = (int)nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	nla_for_each(a, (char *)gh + GENL_HDRLEN, len)
		if (nq_attr_type(a) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)arg = nq_get_u16(a);
	return 0;
}

int nq_nl_open(struct nq_nl *nl)
{
	struct nq_req r;
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)))
		return -errno;
	nl->family = GENL_ID_CTRL;
	nq_req_init(&r, nl, CTRL_CMD_GETFAMILY, 0);
	r.gh.version = 1;
	nq_req_put(&r, CTRL_ATTR_FAMILY_NAME, NQSTAT_GENL_NAME,
		   sizeof(NQSTAT_GENL_NAME));
	err = nq_req_send(nl, &r, nq_family_cb, &nl->family);
	if (!err && nl->family == GENL_ID_CTRL)
		err = -ENOENT;
	if (err) {
		close(nl->fd);
		nl->fd = -1;
	}
	return err;
}

void nq_nl_close(struct nq_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

static void nq_parse_feeds(struct nq_hook_row *h, struct nlattr *nest)
{
	struct nlattr *a;
	int len = NLA_PAYLOAD(nest);

	h->has_feeds = true;
	nla_for_each(a, NLA_DATA(nest), len) {
		if (nq_attr_type(a) != NQSTAT_A_HOOK_FEED ||
		    h->nfeeds >= (int)(sizeof(h->feeds) / sizeof(h->feeds[0])))
			continue;
		nq_get_str(a, h->feeds[h->nfeeds], sizeof(h->feeds[0]));
		h->nfeeds++;
	}
}

static void nq_parse_hook(struct nq_status *st, struct nlattr *nest)
{
	struct nq_hook_row *h;
	struct nlattr *a;
	int len = NLA_PAYLOAD(nest);

	if (st->nhooks >= (int)(sizeof(st->hooks) / sizeof(st->hooks[0])))
		return;
	h = &st->hooks[st->nhooks++];
	nla_for_each(a, NLA_DATA(nest), len) {
		switch (nq_attr_type(a)) {
		case NQSTAT_A_HOOK_NAME:
			nq_get_str(a, h->name, sizeof(h->name));
			break;
		case NQSTAT_A_HOOK_KIND:
			h->kind = nq_get_u8(a);
			break;
		case NQSTAT_A_HOOK_STATE:
			h->state = nq_get_u8(a);
			break;
		case NQSTAT_A_HOOK_ERRNO:
			h->err = nq_get_u32(a);
			break;
		case NQSTAT_A_HOOK_MISSED:
			h->missed = nq_get_u64(a);
			h->has_missed = true;
			break;
		case NQSTAT_A_HOOK_FEEDS:
			nq_parse_feeds(h, a);
			break;
		}
	}
}

static int nq_status_cb(const struct nlmsghdr *nh, void *arg)
{
	struct nq_status *st = arg;
	struct nlattr *a, *h;
	int len = (int)nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), hlen;

	nla_for_each(a, (char *)NLMSG_DATA(nh) + GENL_HDRLEN, len) {
		switch (nq_attr_type(a)) {
		case NQSTAT_A_VERSION:
			nq_get_str(a, st->version, sizeof(st->version));
			break;
		case NQSTAT_A_KERNEL_RELEASE:
			nq_get_str(a, st->release, sizeof(st->release));
			break;
		case NQSTAT_A_HOOKS:
			hlen = NLA_PAYLOAD(a);
			nla_for_each(h, NLA_DATA(a), hlen)
				nq_parse_hook(st, h);
			break;
		case NQSTAT_A_LISTENERS_TRACKED:
			st->tracked = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENERS_MAX:
			st->max = nq_get_u32(a);
			break;
		case NQSTAT_A_UNTRACKED_EVENTS:
			st->untracked = nq_get_u64(a);
			st->has_untracked = true;
			break;
		case NQSTAT_A_GRACE_PERIOD:
			st->grace = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENERS_ADOPTED:
			st->adopted = nq_get_u32(a);
			st->has_adopted = true;
			break;
		case NQSTAT_A_LISTENERS_FOREIGN:
			st->foreign = nq_get_u64(a);
			st->has_foreign = true;
			break;
		}
	}
	return 0;
}

int nq_get_status(struct nq_nl *nl, struct nq_status *st)
{
	struct nq_req r;

	memset(st, 0, sizeof(*st));
	nq_req_init(&r, nl, NQSTAT_CMD_GET_STATUS, 0);
	return nq_req_send(nl, &r, nq_status_cb, st);
}

static void nq_parse_counters(struct nq_row *row, struct nlattr *nest)
{
	struct nlattr *a;
	int len = NLA_PAYLOAD(nest), t;

	nla_for_each(a, NLA_DATA(nest), len) {
		t = nq_attr_type(a);
		if (t <= NQSTAT_CTR_PAD || t > NQSTAT_CTR_MAX)
			continue;
		row->has_ctr[t] = true;
		row->ctr[t] = nq_get_u64(a);
	}
}

static void nq_parse_listener(struct nq_row *row, struct nlattr *nest)
{
	struct nlattr *a;
	int len = NLA_PAYLOAD(nest);

	nla_for_each(a, NLA_DATA(nest), len) {
		switch (nq_attr_type(a)) {
		case NQSTAT_A_LISTENER_COOKIE:
			row->cookie = nq_get_u64(a);
			break;
		case NQSTAT_A_LISTENER_NETNS_INODE:
			row->netns_ino = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENER_NETNS_COOKIE:
			row->netns_cookie = nq_get_u64(a);
			break;
		case NQSTAT_A_LISTENER_FAMILY:
			row->family = nq_get_u8(a);
			break;
		case NQSTAT_A_LISTENER_ADDR:
			if (NLA_PAYLOAD(a) <= 16)
				memcpy(row->addr, NLA_DATA(a), NLA_PAYLOAD(a));
			break;
		case NQSTAT_A_LISTENER_PORT:
			row->port = nq_get_u16(a);
			break;
		case NQSTAT_A_LISTENER_IFINDEX:
			row->ifindex = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENER_STATE:
			row->state = nq_get_u8(a);
			break;
		case NQSTAT_A_LISTENER_BACKLOG:
			row->backlog = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENER_CLOSED_MSECS:
			row->closed_ms = nq_get_u64(a);
			row->has_closed_ms = true;
			break;
		case NQSTAT_A_LISTENER_COUNTERS:
			nq_parse_counters(row, a);
			break;
		case NQSTAT_A_LISTENER_BACKLOG_SOURCE:
			row->backlog_source = nq_get_u8(a);
			break;
		case NQSTAT_A_LISTENER_ACCEPTQ_LEN:
			row->acceptq_len = nq_get_u32(a);
			row->has_acceptq_len = true;
			break;
		case NQSTAT_A_LISTENER_SYNQ_LEN:
			row->synq_len = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENER_ACCEPTQ_PEAK:
			row->acceptq_peak = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENER_SYNQ_PEAK:
			row->synq_peak = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET:
			row->acceptq_peak_reset = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENER_SYNQ_PEAK_RESET:
			row->synq_peak_reset = nq_get_u32(a);
			break;
		case NQSTAT_A_LISTENER_KERNEL_DROPS:
			row->kernel_drops = nq_get_u64(a);
			row->has_kernel_drops = true;
			break;
		case NQSTAT_A_LISTENER_RESET_MSECS:
			row->reset_ms = nq_get_u64(a);
			row->has_reset_ms = true;
			break;
		}
	}
}

static int nq_dump_cb(const struct nlmsghdr *nh, void *arg)
{
	struct nq_rows *rows = arg;
	struct nlattr *a;
	int len = (int)nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	nla_for_each(a, (char *)NLMSG_DATA(nh) + GENL_HDRLEN, len) {
		struct nq_row *v;

		if (nq_attr_type(a) != NQSTAT_A_LISTENER)
			continue;
		v = realloc(rows->v, (rows->n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		rows->v = v;
		memset(&v[rows->n], 0, sizeof(*v));
		nq_parse_listener(&v[rows->n++], a);
	}
	return 0;
}

int nq_dump(struct nq_nl *nl, bool all_netns, struct nq_rows *rows)
{
	struct nq_req r;

	rows->v = NULL;
	rows->n = 0;
	nq_req_init(&r, nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	if (all_netns)
		nq_req_put(&r, NQSTAT_A_ALL_NETNS, NULL, 0);
	return nq_req_send(nl, &r, nq_dump_cb, rows);
}

const struct nq_row *nq_rows_find(const struct nq_rows *rows, uint64_t cookie)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (rows->v[i].cookie == cookie)
			return &rows->v[i];
	return NULL;
}

void nq_rows_free(struct nq_rows *rows)
{
	free(rows->v);
	rows->v = NULL;
	rows->n = 0;
}

static int lookup(uint64_t cookie, bool all_netns, struct nq_row *row)
{
	const struct nq_row *found;
	struct nq_rows rows;
	struct nq_nl nl;
	int err;

	err = nq_nl_open(&nl);
	if (err)
		return err;
	err = nq_dump(&nl, all_netns, &rows);
	nq_nl_close(&nl);
	if (err)
		return err;
	found = nq_rows_find(&rows, cookie);
	if (found)
		*row = *found;
	nq_rows_free(&rows);
	return found ? 0 : -ENOENT;
}

int nq_lookup(uint64_t cookie, struct nq_row *row)
{
	return lookup(cookie, false, row);
}

int nq_lookup_all(uint64_t cookie, struct nq_row *row)
{
	return lookup(cookie, true, row);
}

struct nq_ns_dump {
	struct nq_ns_row *rows;
	int max, n;
};

static void nq_parse_dests(struct nq_ns_row *r, struct nlattr *nest)
{
	struct nlattr *d, *a;
	int len = NLA_PAYLOAD(nest), dlen;

	nla_for_each(d, NLA_DATA(nest), len) {
		struct nq_dest_row *row;

		if (r->ndests >= 100)
			return;
		row = &r->dests[r->ndests++];
		dlen = NLA_PAYLOAD(d);
		nla_for_each(a, NLA_DATA(d), dlen) {
			switch (nq_attr_type(a)) {
			case NQSTAT_A_DEST_FAMILY:
				row->family = nq_get_u8(a);
				break;
			case NQSTAT_A_DEST_ADDR:
				if (NLA_PAYLOAD(a) <= 16)
					memcpy(row->addr, NLA_DATA(a),
					       NLA_PAYLOAD(a));
				break;
			case NQSTAT_A_DEST_PORT:
				row->port = nq_get_u16(a);
				break;
			case NQSTAT_A_DEST_TW_COUNT:
				row->count = nq_get_u32(a);
				break;
			}
		}
	}
}

static void nq_parse_sysctls(struct nq_ns_row *r, struct nlattr *nest)
{
	struct nlattr *a;
	int len = NLA_PAYLOAD(nest);

	nla_for_each(a, NLA_DATA(nest), len) {
		switch (nq_attr_type(a)) {
		case NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS:
			r->max_tw_buckets = nq_get_u32(a);
			break;
		case NQSTAT_A_SYSCTL_PORT_RANGE_LOW:
			r->port_lo = nq_get_u16(a);
			break;
		case NQSTAT_A_SYSCTL_PORT_RANGE_HIGH:
			r->port_hi = nq_get_u16(a);
			break;
		case NQSTAT_A_SYSCTL_TCP_TW_REUSE:
			r->tw_reuse = nq_get_u8(a);
			break;
		case NQSTAT_A_SYSCTL_TCP_TIMESTAMPS:
			r->timestamps = nq_get_u8(a);
			break;
		case NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT:
			r->fin_timeout = nq_get_u32(a);
			break;
		}
	}
}

static void nq_parse_ct(struct nq_ct_row *ct, struct nlattr *nest)
{
	struct nlattr *a;
	int len = NLA_PAYLOAD(nest);

	ct->present = true;
	nla_for_each(a, NLA_DATA(nest), len) {
		switch (nq_attr_type(a)) {
		case NQSTAT_A_CT_STATE:
			ct->state = nq_get_u8(a);
			break;
		case NQSTAT_A_CT_COUNT:
			ct->count = nq_get_u32(a);
			ct->has_count = true;
			break;
		case NQSTAT_A_CT_PEAK:
			ct->peak = nq_get_u32(a);
			ct->has_peak = true;
			break;
		case NQSTAT_A_CT_LIMIT:
			ct->limit = nq_get_u32(a);
			break;
		case NQSTAT_A_CT_BUCKETS:
			ct->buckets = nq_get_u32(a);
			break;
		case NQSTAT_A_CT_TABLE_FULL_DROPS:
			ct->table_full = nq_get_u64(a);
			ct->has_table_full = true;
			break;
		case NQSTAT_A_CT_EARLY_DROPS:
			ct->early_drops = nq_get_u64(a);
			break;
		case NQSTAT_A_CT_INSERT_FAILED:
			ct->insert_failed = nq_get_u64(a);
			break;
		case NQSTAT_A_CT_DROPS:
			ct->drops = nq_get_u64(a);
			break;
		}
	}
}

static int nq_ns_cb(const struct nlmsghdr *nh, void *arg)
{
	struct nq_ns_dump *d = arg;
	struct nlattr *top, *a;
	int len = (int)nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), nlen;

	nla_for_each(top, (char *)NLMSG_DATA(nh) + GENL_HDRLEN, len) {
		struct nq_ns_row *r;

		if (nq_attr_type(top) != NQSTAT_A_NETNS || d->n >= d->max)
			continue;
		r = &d->rows[d->n++];
		memset(r, 0, sizeof(*r));
		nlen = NLA_PAYLOAD(top);
		nla_for_each(a, NLA_DATA(top), nlen) {
			switch (nq_attr_type(a)) {
			case NQSTAT_A_NETNS_INODE:
				r->ino = nq_get_u32(a);
				break;
			case NQSTAT_A_NETNS_COOKIE:
				r->cookie = nq_get_u64(a);
				break;
			case NQSTAT_A_NETNS_TW_COUNT:
				r->tw_count = nq_get_u32(a);
				break;
			case NQSTAT_A_NETNS_TW_PEAK:
				r->tw_peak = nq_get_u32(a);
				break;
			case NQSTAT_A_NETNS_TW_CREATED:
				r->tw_created = nq_get_u64(a);
				r->has_tw_created = true;
				break;
			case NQSTAT_A_NETNS_TW_OVERFLOWS:
				r->tw_overflows = nq_get_u64(a);
				break;
			case NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED:
				r->port_exhausted = nq_get_u64(a);
				r->has_port_exhausted = true;
				break;
			case NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS:
				r->syn_retransmits = nq_get_u64(a);
				r->has_syn_retransmits = true;
				break;
			case NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED:
				r->failed_retried = nq_get_u64(a);
				r->has_connect = true;
				break;
			case NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS:
				r->failed_retried_ms = nq_get_u64(a);
				break;
			case NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED:
				r->failed_unretried = nq_get_u64(a);
				break;
			case NQSTAT_A_NETNS_CONNECT_CLOSED:
				r->connect_closed = nq_get_u64(a);
				break;
			case NQSTAT_A_NETNS_SYSCTLS:
				nq_parse_sysctls(r, a);
				break;
			case NQSTAT_A_NETNS_TW_DESTS:
				nq_parse_dests(r, a);
				break;
			case NQSTAT_A_NETNS_TW_DESTS_TRUNCATED:
				r->truncated = true;
				break;
			case NQSTAT_A_NETNS_CT:
				nq_parse_ct(&r->ct, a);
				break;
			}
		}
	}
	return 0;
}

int nq_netns_dump_size(struct nq_nl *nl, bool all, uint32_t top_n,
		       size_t bufsize, struct nq_ns_row *rows, int max, int *n)
{
	struct nq_ns_dump d = { .rows = rows, .max = max };
	struct nq_req r;
	int err;

	nq_req_init(&r, nl, NQSTAT_CMD_GET_NETNS, NLM_F_DUMP);
	if (all)
		nq_req_put(&r, NQSTAT_A_ALL_NETNS, NULL, 0);
	if (top_n)
		nq_req_put(&r, NQSTAT_A_TOP_N, &top_n, sizeof(top_n));
	err = nq_req_send_size(nl, &r, nq_ns_cb, &d, bufsize);
	*n = d.n;
	return err;
}

int nq_netns_dump(struct nq_nl *nl, bool all, uint32_t top_n,
		  struct nq_ns_row *rows, int max, int *n)
{
	return nq_netns_dump_size(nl, all, top_n, 65536, rows, max, n);
}

/* A fresh network namespace with loopback up, for exact MIB deltas. */
int nq_netns_new(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd, err = 0;

	if (unshare(CLONE_NEWNET))
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		err = -errno;
	close(fd);
	return err;
}

int nq_netns_fd(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int nq_netns_enter(int fd)
{
	return setns(fd, CLONE_NEWNET) ? -errno : 0;
}

/* A counter of /proc/net/snmp ("Tcp") or /proc/net/netstat ("TcpExt"). */
uint64_t nq_mib(const char *proto, const char *name)
{
	const char *file = strcmp(proto, "TcpExt") ? "/proc/net/snmp" :
						     "/proc/net/netstat";
	char *hdr = NULL, *val = NULL, *sh, *sv, *h, *v;
	size_t hn = 0, vn = 0, plen = strlen(proto);
	uint64_t result = UINT64_MAX;
	FILE *f = fopen(file, "re");

	if (!f)
		return UINT64_MAX;
	while (getline(&hdr, &hn, f) > 0 && getline(&val, &vn, f) > 0) {
		if (strncmp(hdr, proto, plen) || hdr[plen] != ':')
			continue;
		h = strtok_r(hdr + plen + 1, " \n", &sh);
		v = strtok_r(val + plen + 1, " \n", &sv);
		for (; h && v; h = strtok_r(NULL, " \n", &sh),
			       v = strtok_r(NULL, " \n", &sv))
			if (!strcmp(h, name))
				result = strtoull(v, NULL, 10);
		break;
	}
	free(hdr);
	free(val);
	fclose(f);
	return result;
}

uint64_t nq_ct_stat(const char *name)
{
	char *hdr = NULL, *line = NULL, *sh, *sv, *h, *v;
	size_t hn = 0, ln = 0;
	uint64_t sum = 0;
	int col = -1, i;
	FILE *f = fopen("/proc/net/stat/nf_conntrack", "re");

	if (!f)
		return UINT64_MAX;
	if (getline(&hdr, &hn, f) > 0)
		for (i = 0, h = strtok_r(hdr, " \n", &sh); h;
		     i++, h = strtok_r(NULL, " \n", &sh))
			if (!strcmp(h, name))
				col = i;
	/* One line per CPU, in hexadecimal. */
	while (col >= 0 && getline(&line, &ln, f) > 0) {
		for (i = 0, v = strtok_r(line, " \n", &sv); v && i < col;
		     i++, v = strtok_r(NULL, " \n", &sv))
			;
		if (v)
			sum += strtoull(v, NULL, 16);
	}
	free(hdr);
	free(line);
	fclose(f);
	return col < 0 ? UINT64_MAX : sum;
}

int nq_ct_enable(void)
{
	return system("nft add table ip nq && "
		      "nft add chain ip nq out '{ type filter hook output priority 0; }' && "
		      "nft add rule ip nq out ct state new accept") ? -EIO : 0;
}

int nq_sysctl_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		err = -errno;
	close(fd);
	return err;
}

long nq_sysctl_read(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -EIO;
}

int nq_module_param_write(const char *name, const char *value)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/nqstat/parameters/%s", name);
	return nq_sysctl_write(path, value);
}

int nq_module_load_params(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (syscall(__NR_finit_module, fd, params, 0))
		err = -errno;
	close(fd);
	return err;
}

int nq_module_load(const char *path)
{
	return nq_module_load_params(path, "");
}

bool nq_module_loaded(void)
{
	return !access("/sys/module/nqstat", F_OK);
}

int nq_module_unload(const char *name)
{
	int i;

	/* A dump in flight holds a reference: retry briefly. */
	for (i = 0; i < 200; i++) {
		if (!syscall(__NR_delete_module, name, O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			return -errno;
		usleep(10000);
	}
	return -EBUSY;
}

uint64_t nq_sock_cookie(int fd)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);

	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len))
		return 0;
	return cookie;
}

/* The socket's sk_drops, as the kernel reports it in SO_MEMINFO. */
long nq_sk_drops(int fd)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len))
		return -errno;
	return mem[SK_MEMINFO_DROPS];
}

uint64_t nq_netns_cookie(int fd)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);

	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
		return 0;
	return cookie;
}

uint32_t nq_netns_inode(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return 0;
	return (uint32_t)st.st_ino;
}

socklen_t nq_sockaddr(int family, const char *addr, uint16_t port,
		      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		inet_pton(AF_INET, addr, &sin->sin_addr);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	inet_pton(AF_INET6, addr, &sin6->sin6_addr);
	return sizeof(*sin6);
}

/*
 * A TCP listener on addr, port *port (0: chosen by the kernel, returned in
 * *port).
 */
int nq_listen_ex(int family, const char *addr, int backlog, uint16_t *port,
		 const struct nq_listen_opts *o)
{
	static const struct nq_listen_opts none = { .v6only = -1 };
	struct sockaddr_storage ss;
	socklen_t len = nq_sockaddr(family, addr, *port, &ss);
	int one = 1, fd;

	if (!o)
		o = &none;
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC |
		    (o->nonblock ? SOCK_NONBLOCK : 0), o->protocol);
	if (fd < 0)
		return -errno;
	if ((o->v6only >= 0 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &o->v6only,
			sizeof(o->v6only))) ||
	    (o->reuseport &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))) ||
	    (o->dev &&
	     setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o->dev,
			strlen(o->dev) + 1)) ||
	    bind(fd, (struct sockaddr *)&ss, len) ||
	    listen(fd, backlog) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*port = ntohs(family == AF_INET ?
		      ((struct sockaddr_in *)&ss)->sin_port :
		      ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

int nq_listen(int family, const char *addr, int backlog, uint16_t *port)
{
	return nq_listen_ex(family, addr, backlog, port, NULL);
}

int nq_udp_send(uint16_t sport, uint16_t dport)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(dport),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in from = { .sin_family = AF_INET,
				    .sin_port = htons(sport),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (sport && bind(fd, (struct sockaddr *)&from, sizeof(from)))
		err = -errno;
	else if (sendto(fd, "x", 1, 0, (struct sockaddr *)&to,
			sizeof(to)) != 1)
		err = -errno;
	close(fd);
	return err;
}

/* A blocking connect; returns the connected socket. */
int nq_connect(int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = nq_sockaddr(family, addr, port, &ss);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int nq_connect_nb(int family, const char *addr, uint16_t port, int protocol)
{
	struct sockaddr_storage ss;
	socklen_t len = nq_sockaddr(family, addr, port, &ss);
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			protocol);

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int nq_tool(char *out, size_t len, const char *args)
{
	const char *tool = getenv("NQSTAT_TOOL");
	size_t n = 0, r;
	char cmd[512];
	FILE *p;
	int st;

	if (len)
		out[0] = '\0';
	if (!tool || !len)
		return -1;
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", tool, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n < len - 1 && (r = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

uint64_t nq_drops_sum(const uint64_t *ctr)
{
	return ctr[NQSTAT_CTR_SYN_QUEUE_DROPS] +
	       ctr[NQSTAT_CTR_SYN_BACKLOG_DROPS] +
	       ctr[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] +
	       ctr[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] +
	       ctr[NQSTAT_CTR_OTHER_DROPS];
}

/* The "tw" figure of this namespace's /proc/net/sockstat. */
long nq_sockstat_tw(void)
{
	char line[256];
	long tw = -1;
	FILE *f = fopen("/proc/net/sockstat", "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " tw ");

		if (!strncmp(line, "TCP:", 4) && p)
			tw = strtol(p + 4, NULL, 10);
	}
	fclose(f);
	return tw;
}
