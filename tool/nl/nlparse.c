// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of nqstat netlink messages into plain C structures.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl/nlparse.h"

/*
 * What the parser knows of an attribute: its payload size and where its
 * value goes (a uint64_t of the record). One table per nest; the loop
 * walks the attributes once, in the message's order, without an
 * index array per nest. An attribute of a type the table does not list
 * is ignored (a newer module).
 */
enum { SZ_NONE, SZ_U8 = 1, SZ_U16 = 2, SZ_U32 = 4, SZ_U64 = 8,
       SZ_U32_U64 = 12 /* either: a field widened from u32 to u64 */ };

struct attr_desc {
	uint8_t size;
	uint16_t off;		/* offsetof() the uint64_t field */
};

#define U(sz, type, field) [type] = { sz, offsetof(type_t, field) }

static int bad(const char **why, const char *msg)
{
	*why = msg;
	return -EBADMSG;
}

/* The value of a, of one of the sizes of d, into *v. */
static int get_num(const struct nlattr *a, const struct attr_desc *d,
		   uint64_t *v)
{
	int len = nla_len(a);

	switch (d->size == SZ_U32_U64 ? (len == 4 ? SZ_U32 : SZ_U64) :
		d->size) {
	case SZ_U8:
		if (len != 1)
			return -EBADMSG;
		*v = nla_get_u8(a);
		return 0;
	case SZ_U16:
		if (len != 2)
			return -EBADMSG;
		*v = nla_get_u16(a);
		return 0;
	case SZ_U32:
		if (len != 4)
			return -EBADMSG;
		*v = nla_get_u32(a);
		return 0;
	case SZ_U64:
		if (len != 8)
			return -EBADMSG;
		*v = nla_get_u64(a);
		return 0;
	}
	return -EBADMSG;
}

/*
 * Attribute a of a nest described by table[0..max] into the record rec.
 * Returns 1 when the table has no such type (the caller may know it),
 * 0, or -EBADMSG for a payload of the wrong size.
 */
static int set_num(const struct nlattr *a, const struct attr_desc *table,
		   int max, void *rec)
{
	int type = nla_type(a);

	if (type > max || table[type].size == SZ_NONE)
		return 1;
	return get_num(a, &table[type], (uint64_t *)((char *)rec +
						      table[type].off));
}

/* NUL-terminated string attribute, copied. */
static int get_str(const struct nlattr *a, char **v)
{
	const char *s = nla_data(a);
	int len = nla_len(a);
	char *copy;

	if (len < 1 || !memchr(s, '\0', (size_t)len))
		return -EBADMSG;
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	free(*v);
	*v = copy;
	return 0;
}

/* A 4- or 16-byte address; checked against the family by the caller. */
static int get_addr(const struct nlattr *a, uint8_t *addr, uint8_t *len)
{
	int n = nla_len(a);

	if (n != 4 && n != 16)
		return -EBADMSG;
	/* A repeated attribute: nothing of an earlier, longer one stays. */
	memset(addr, 0, 16);
	memcpy(addr, nla_data(a), (size_t)n);
	*len = (uint8_t)n;
	return 0;
}

/* Whether the address of a record agrees with its family. */
static bool addr_matches(uint64_t family, uint8_t len)
{
	return len == (family == AF_INET ? 4 : 16);
}

#define type_t struct nq_hook
static const struct attr_desc hook_attrs[NQSTAT_A_HOOK_MAX + 1] = {
	U(SZ_U8, NQSTAT_A_HOOK_KIND, kind),
	U(SZ_U8, NQSTAT_A_HOOK_STATE, state),
	U(SZ_U32, NQSTAT_A_HOOK_ERRNO, err),
	U(SZ_U64, NQSTAT_A_HOOK_MISSED, missed),
};
#undef type_t

static void free_feeds(struct nq_hook *h)
{
	size_t k;

	for (k = 0; k < h->n_feeds; k++)
		free(h->feeds[k]);
	free(h->feeds);
	h->feeds = NULL;
	h->n_feeds = 0;
}

/* NQSTAT_A_HOOK_FEEDS: one NQSTAT_A_HOOK_FEED string per field fed. */
static int parse_feeds(struct nlattr *nest, struct nq_hook *h)
{
	struct nlattr *a;
	size_t n = 0;
	int rem, ret;

	nla_for_each_nested(a, nest, rem)
		n += nla_type(a) == NQSTAT_A_HOOK_FEED;
	if (rem > 0)
		return -EBADMSG;
	free_feeds(h);		/* a repeated attribute: the last counts */
	h->feeds = calloc(n ? n : 1, sizeof(*h->feeds));
	if (!h->feeds)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != NQSTAT_A_HOOK_FEED)
			continue;
		ret = get_str(a, &h->feeds[h->n_feeds]);
		if (ret < 0)
			return ret;
		h->n_feeds++;
	}
	return 0;
}

static int parse_hook(struct nlattr *nest, struct nq_hook *h, const char **why)
{
	struct nlattr *a;
	int rem, ret;

	nq_hook_init(h);
	nla_for_each_nested(a, nest, rem) {
		ret = set_num(a, hook_attrs, NQSTAT_A_HOOK_MAX, h);
		if (ret == 1) {
			switch (nla_type(a)) {
			case NQSTAT_A_HOOK_NAME:
				ret = get_str(a, &h->name);
				break;
			case NQSTAT_A_HOOK_REASON:
				ret = get_str(a, &h->reason);
				break;
			case NQSTAT_A_HOOK_FEEDS:
				ret = parse_feeds(a, h);
				break;
			default:
				ret = 0;
			}
		}
		if (ret == -ENOMEM)
			return ret;
		if (ret < 0)
			return bad(why, "hook attribute of the wrong size or not a string");
	}
	if (rem > 0)
		return bad(why, "malformed hook attributes");
	return 0;
}

static int parse_hooks(struct nlattr *nest, struct nq_status *st,
		       const char **why)
{
	struct nlattr *a;
	size_t n = 0;
	int rem, ret;

	st->hooks_known = true;
	nla_for_each_nested(a, nest, rem)
		n++;
	if (rem > 0)
		return bad(why, "malformed hooks");
	/* A repeated attribute: the last counts. */
	while (st->n_hooks) {
		struct nq_hook *h = &st->hooks[--st->n_hooks];

		free(h->name);
		free(h->reason);
		free_feeds(h);
	}
	free(st->hooks);
	st->hooks = NULL;
	if (!n)
		return 0;
	st->hooks = calloc(n, sizeof(*st->hooks));
	if (!st->hooks)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		/* Counted before, so the hook always fits. */
		ret = parse_hook(a, &st->hooks[st->n_hooks++], why);
		if (ret < 0)
			return ret;
	}
	return 0;
}

#define type_t struct nq_status
static const struct attr_desc status_attrs[NQSTAT_A_MAX + 1] = {
	U(SZ_U32, NQSTAT_A_LISTENERS_TRACKED, listeners_tracked),
	U(SZ_U32, NQSTAT_A_LISTENERS_MAX, listeners_max),
	U(SZ_U64, NQSTAT_A_UNTRACKED_EVENTS, untracked_events),
	U(SZ_U32, NQSTAT_A_GRACE_PERIOD, grace_period_s),
	U(SZ_U32, NQSTAT_A_LISTENERS_ADOPTED, listeners_adopted),
	U(SZ_U64, NQSTAT_A_LISTENERS_FOREIGN, listeners_foreign),
};
#undef type_t

int nq_parse_status(struct nlmsghdr *nlh, struct nq_status *st,
		    const char **why)
{
	struct nlattr *a;
	int rem, ret;

	nq_status_init(st);
	if (!genlmsg_valid_hdr(nlh, 0))
		return bad(why, "malformed status message");
	nla_for_each_attr(a, genlmsg_attrdata(NLMSG_DATA(nlh), 0),
			  genlmsg_attrlen(NLMSG_DATA(nlh), 0), rem) {
		ret = set_num(a, status_attrs, NQSTAT_A_MAX, st);
		if (ret == 1) {
			switch (nla_type(a)) {
			case NQSTAT_A_VERSION:
				ret = get_str(a, &st->version);
				break;
			case NQSTAT_A_KERNEL_RELEASE:
				ret = get_str(a, &st->kernel_release);
				break;
			case NQSTAT_A_HOOKS:
				ret = parse_hooks(a, st, why);
				if (ret < 0) {
					nq_status_free(st);
					return ret;
				}
				break;
			default:
				ret = 0;
			}
		}
		if (ret < 0) {
			nq_status_free(st);
			if (ret == -ENOMEM)
				return ret;
			return bad(why, "status attribute of the wrong size or not a string");
		}
	}
	if (rem > 0) {
		nq_status_free(st);
		return bad(why, "malformed status message");
	}
	return 0;
}

static int parse_counters(struct nlattr *nest, struct nq_listener *l,
			  const char **why)
{
	static const struct attr_desc u64 = { SZ_U64, 0 };
	struct nlattr *a;
	int rem, type;

	nla_for_each_nested(a, nest, rem) {
		type = nla_type(a);
		if (type <= NQSTAT_CTR_PAD || type > NQSTAT_CTR_MAX)
			continue;
		if (get_num(a, &u64, &l->counters[type]) < 0)
			return bad(why, "counter of the wrong size");
	}
	if (rem > 0)
		return bad(why, "malformed counters");
	return 0;
}

#define type_t struct nq_listener
static const struct attr_desc listener_attrs[NQSTAT_A_LISTENER_MAX + 1] = {
	U(SZ_U64, NQSTAT_A_LISTENER_COOKIE, cookie),
	U(SZ_U32, NQSTAT_A_LISTENER_NETNS_INODE, netns_inode),
	U(SZ_U64, NQSTAT_A_LISTENER_NETNS_COOKIE, netns_cookie),
	U(SZ_U8, NQSTAT_A_LISTENER_FAMILY, family),
	U(SZ_U16, NQSTAT_A_LISTENER_PORT, port),
	U(SZ_U32, NQSTAT_A_LISTENER_IFINDEX, ifindex),
	U(SZ_U8, NQSTAT_A_LISTENER_STATE, state),
	U(SZ_U32, NQSTAT_A_LISTENER_BACKLOG, backlog),
	/* NLA_U32 up to module 0.1, NLA_U64 after: both are accepted. */
	U(SZ_U32_U64, NQSTAT_A_LISTENER_CLOSED_MSECS, closed_ms),
	/* Values this version does not know are kept. */
	U(SZ_U8, NQSTAT_A_LISTENER_BACKLOG_SOURCE, backlog_source),
	U(SZ_U32, NQSTAT_A_LISTENER_ACCEPTQ_LEN, acceptq_len),
	U(SZ_U32, NQSTAT_A_LISTENER_SYNQ_LEN, synq_len),
	U(SZ_U32, NQSTAT_A_LISTENER_ACCEPTQ_PEAK, acceptq_peak),
	U(SZ_U32, NQSTAT_A_LISTENER_SYNQ_PEAK, synq_peak),
	U(SZ_U32, NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET, acceptq_peak_reset),
	U(SZ_U32, NQSTAT_A_LISTENER_SYNQ_PEAK_RESET, synq_peak_reset),
	U(SZ_U64, NQSTAT_A_LISTENER_KERNEL_DROPS, kernel_drops),
	U(SZ_U32_U64, NQSTAT_A_LISTENER_RESET_MSECS, reset_ms),
};
#undef type_t

/* The first attribute of type type of a generic netlink message, or NULL. */
static struct nlattr *top_attr(struct nlmsghdr *nlh, int type)
{
	if (!genlmsg_valid_hdr(nlh, 0))
		return NULL;
	return nla_find(genlmsg_attrdata(NLMSG_DATA(nlh), 0),
			genlmsg_attrlen(NLMSG_DATA(nlh), 0), type);
}

int nq_parse_listener(struct nlmsghdr *nlh, struct nq_listener *l,
		      const char **why)
{
	struct nq_listener n;
	struct nlattr *nest, *a;
	int ret, rem;

	if (!genlmsg_valid_hdr(nlh, 0))
		return bad(why, "malformed listener message");
	nest = top_attr(nlh, NQSTAT_A_LISTENER);
	if (!nest)
		return bad(why, "listener message without NQSTAT_A_LISTENER");
	nq_listener_init(&n);
	nla_for_each_nested(a, nest, rem) {
		ret = set_num(a, listener_attrs, NQSTAT_A_LISTENER_MAX, &n);
		if (ret == 1) {
			switch (nla_type(a)) {
			case NQSTAT_A_LISTENER_ADDR:
				if (get_addr(a, n.addr, &n.addr_len) < 0)
					return bad(why, "listener address of the wrong size");
				ret = 0;
				break;
			case NQSTAT_A_LISTENER_COUNTERS:
				ret = parse_counters(a, &n, why);
				if (ret < 0)
					return ret;
				break;
			default:
				ret = 0;
			}
		}
		if (ret < 0)
			return bad(why, "listener attribute of the wrong size");
	}
	if (rem > 0)
		return bad(why, "malformed listener attributes");
	if (nq_known(n.family) && n.family != AF_INET && n.family != AF_INET6)
		return bad(why, "listener of unknown address family");
	if (n.addr_len) {
		if (!nq_known(n.family))
			return bad(why, "listener address without a family");
		if (!addr_matches(n.family, n.addr_len))
			return bad(why, "listener address does not match its family");
	}
	*l = n;
	return 0;
}

#define type_t struct nq_netns
static const struct attr_desc sysctl_attrs[NQSTAT_A_SYSCTL_MAX + 1] = {
	U(SZ_U32, NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS, max_tw_buckets),
	U(SZ_U16, NQSTAT_A_SYSCTL_PORT_RANGE_LOW, port_range_low),
	U(SZ_U16, NQSTAT_A_SYSCTL_PORT_RANGE_HIGH, port_range_high),
	U(SZ_U8, NQSTAT_A_SYSCTL_TCP_TW_REUSE, tw_reuse),
	U(SZ_U8, NQSTAT_A_SYSCTL_TCP_TIMESTAMPS, timestamps),
	U(SZ_U32, NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT, fin_timeout_s),
};

static const struct attr_desc netns_attrs[NQSTAT_A_NETNS_MAX + 1] = {
	U(SZ_U32, NQSTAT_A_NETNS_INODE, inode),
	U(SZ_U64, NQSTAT_A_NETNS_COOKIE, cookie),
	U(SZ_U32, NQSTAT_A_NETNS_TW_COUNT, tw_count),
	U(SZ_U32, NQSTAT_A_NETNS_TW_PEAK, tw_peak),
	U(SZ_U64, NQSTAT_A_NETNS_TW_CREATED, tw_created),
	U(SZ_U64, NQSTAT_A_NETNS_TW_OVERFLOWS, tw_overflows),
	U(SZ_U64, NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED,
	  connect_port_exhausted),
};
#undef type_t

#define type_t struct nq_ct
static const struct attr_desc ct_attrs[NQSTAT_A_CT_MAX + 1] = {
	U(SZ_U8, NQSTAT_A_CT_STATE, state),
	U(SZ_U32, NQSTAT_A_CT_COUNT, count),
	U(SZ_U32, NQSTAT_A_CT_PEAK, peak),
	U(SZ_U32, NQSTAT_A_CT_LIMIT, max),
	U(SZ_U32, NQSTAT_A_CT_BUCKETS, buckets),
	U(SZ_U64, NQSTAT_A_CT_TABLE_FULL_DROPS, table_full_drops),
	U(SZ_U64, NQSTAT_A_CT_EARLY_DROPS, early_drops),
	U(SZ_U64, NQSTAT_A_CT_INSERT_FAILED, insert_failed),
	U(SZ_U64, NQSTAT_A_CT_DROPS, drops),
};
#undef type_t

#define type_t struct nq_tw_dest
static const struct attr_desc dest_attrs[NQSTAT_A_DEST_MAX + 1] = {
	U(SZ_U8, NQSTAT_A_DEST_FAMILY, family),
	U(SZ_U16, NQSTAT_A_DEST_PORT, port),
	U(SZ_U32, NQSTAT_A_DEST_TW_COUNT, tw_count),
};
#undef type_t

/* A nest of numbers only, described by table, into rec. */
static int parse_nums(struct nlattr *nest, const struct attr_desc *table,
		      int max, void *rec)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (set_num(a, table, max, rec) < 0)
			return -EBADMSG;
	return rem > 0 ? -EINVAL : 0;
}

static int parse_sysctls(struct nlattr *nest, struct nq_netns *ns,
			 const char **why)
{
	int ret = parse_nums(nest, sysctl_attrs, NQSTAT_A_SYSCTL_MAX, ns);

	if (ret == -EINVAL)
		return bad(why, "malformed sysctls");
	if (ret < 0)
		return bad(why, "sysctl of the wrong size");
	return 0;
}

static int parse_ct(struct nlattr *nest, struct nq_ct *ct, const char **why)
{
	int ret = parse_nums(nest, ct_attrs, NQSTAT_A_CT_MAX, ct);

	if (ret == -EINVAL)
		return bad(why, "malformed conntrack attributes");
	if (ret < 0)
		return bad(why, "conntrack attribute of the wrong size");
	if (!nq_known(ct->state))
		return bad(why, "conntrack attributes without a state");
	return 0;
}

static int parse_dest(struct nlattr *nest, struct nq_tw_dest *d,
		      const char **why)
{
	struct nlattr *a;
	int rem, ret;

	nq_tw_dest_init(d);
	nla_for_each_nested(a, nest, rem) {
		ret = set_num(a, dest_attrs, NQSTAT_A_DEST_MAX, d);
		if (ret == 1 && nla_type(a) == NQSTAT_A_DEST_ADDR) {
			if (get_addr(a, d->addr, &d->addr_len) < 0)
				return bad(why, "destination address of the wrong size");
			ret = 0;
		}
		if (ret < 0)
			return bad(why, "destination attribute of the wrong size");
	}
	if (rem > 0)
		return bad(why, "malformed destination");
	if (nq_known(d->family) && d->family != AF_INET &&
	    d->family != AF_INET6)
		return bad(why, "destination of unknown address family");
	if (d->addr_len) {
		if (!nq_known(d->family))
			return bad(why, "destination address without a family");
		if (!addr_matches(d->family, d->addr_len))
			return bad(why, "destination address does not match its family");
	}
	return 0;
}

/* The array NQSTAT_A_NETNS_TW_DESTS into ns->dests (freed by the caller). */
static int parse_dests(struct nlattr *nest, struct nq_netns *ns,
		       const char **why)
{
	struct nlattr *a;
	size_t n = 0;
	int rem, ret;

	ns->dests_known = true;
	nla_for_each_nested(a, nest, rem)
		n++;
	if (rem > 0)
		return bad(why, "malformed destinations");
	if (!n)
		return 0;
	free(ns->dests);	/* a repeated attribute: the last counts */
	ns->n_dests = 0;
	ns->dests = calloc(n, sizeof(*ns->dests));
	if (!ns->dests)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		/* Counted before, so the row always fits. */
		ret = parse_dest(a, &ns->dests[ns->n_dests++], why);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int nq_parse_netns(struct nlmsghdr *nlh, struct nq_netns *out,
		   const char **why)
{
	struct nlattr *nest, *a;
	struct nq_netns n;
	int ret = 0, rem;

	if (!genlmsg_valid_hdr(nlh, 0))
		return bad(why, "malformed namespace message");
	nest = top_attr(nlh, NQSTAT_A_NETNS);
	if (!nest)
		return bad(why, "namespace message without NQSTAT_A_NETNS");
	nq_netns_init(&n);
	nla_for_each_nested(a, nest, rem) {
		ret = set_num(a, netns_attrs, NQSTAT_A_NETNS_MAX, &n);
		if (ret != 1)
			goto check;
		switch (nla_type(a)) {
		case NQSTAT_A_NETNS_SYSCTLS:
			ret = parse_sysctls(a, &n, why);
			if (ret < 0)
				goto fail;
			break;
		case NQSTAT_A_NETNS_TW_DESTS:
			ret = parse_dests(a, &n, why);
			if (ret < 0)
				goto fail;
			break;
		case NQSTAT_A_NETNS_TW_DESTS_TRUNCATED:
			ret = nla_len(a) ? -EBADMSG : 0;
			n.dests_truncated = true;
			break;
		case NQSTAT_A_NETNS_CT:
			ret = parse_ct(a, &n.ct, why);
			if (ret < 0)
				goto fail;
			break;
		default:
			ret = 0;
		}
check:
		if (ret < 0) {
			ret = bad(why, "namespace attribute of the wrong size");
			goto fail;
		}
	}
	if (rem > 0) {
		ret = bad(why, "malformed namespace attributes");
		goto fail;
	}
	*out = n;
	return 0;
fail:
	nq_netns_free(&n);
	return ret;
}

int nq_parse_ack(struct nlmsghdr *nlh, int *error, char **extack,
		 const char **why)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len = nlh->nlmsg_len, off;
	const struct nlattr *msg;
	char *copy;

	*error = 0;
	*extack = NULL;
	if (len < NLMSG_HDRLEN)
		return bad(why, "truncated message");
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (len < NLMSG_LENGTH(sizeof(*e)))
			return bad(why, "truncated error message");
		*error = e->error;
		off = NLMSG_LENGTH(sizeof(*e));
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			/* The request is echoed whole: header and payload. */
			if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
			    e->msg.nlmsg_len > len)
				return bad(why, "malformed error message");
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* Old kernels send a DONE without the error code. */
		if (len < NLMSG_LENGTH(sizeof(int)))
			return 0;
		memcpy(error, NLMSG_DATA(nlh), sizeof(int));
		off = NLMSG_LENGTH(sizeof(int));
	} else {
		return bad(why, "not an acknowledgement");
	}
	if (*error > 0)
		*error = -*error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	off = NLMSG_ALIGN(off);
	if (off >= len)
		return 0;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off), (int)(len - off),
		      NULL) < 0)
		return bad(why, "malformed extended acknowledgement");
	msg = tb[NLMSGERR_ATTR_MSG];
	if (!msg || nla_len(msg) < 1)
		return 0;
	copy = strndup(nla_data(msg), (size_t)nla_len(msg));
	if (!copy)
		return -ENOMEM;
	*extack = copy;
	return 0;
}
