// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of nqstat netlink messages into plain C structures.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl/nlparse.h"

_Static_assert(NQSTAT_A_MAX < 32, "present mask too small");
_Static_assert(NQSTAT_A_LISTENER_MAX < 32, "present mask too small");
_Static_assert(NQSTAT_A_HOOK_MAX < 32, "present mask too small");
_Static_assert(NQSTAT_CTR_MAX < 32, "present mask too small");
_Static_assert(NQSTAT_A_NETNS_MAX < 32, "present mask too small");
_Static_assert(NQSTAT_A_SYSCTL_MAX < 32, "present mask too small");
_Static_assert(NQSTAT_A_DEST_MAX < 32, "present mask too small");

static int bad(const char **why, const char *msg)
{
	*why = msg;
	return -EBADMSG;
}

static int get_u8(const struct nlattr *a, uint8_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return -EBADMSG;
	*v = nla_get_u8(a);
	return 0;
}

static int get_u16(const struct nlattr *a, uint16_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return -EBADMSG;
	*v = nla_get_u16(a);
	return 0;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return -EBADMSG;
	*v = nla_get_u32(a);
	return 0;
}

static int get_u64(const struct nlattr *a, uint64_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return -EBADMSG;
	*v = nla_get_u64(a);
	return 0;
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

static int parse_hook(struct nlattr *nest, struct nq_hook *h, const char **why)
{
	struct nlattr *tb[NQSTAT_A_HOOK_MAX + 1];
	int ret, i;

	if (nla_parse_nested(tb, NQSTAT_A_HOOK_MAX, nest, NULL) < 0)
		return bad(why, "malformed hook attributes");
	for (i = 1; i <= NQSTAT_A_HOOK_MAX; i++) {
		if (!tb[i])
			continue;
		switch (i) {
		case NQSTAT_A_HOOK_NAME:
			ret = get_str(tb[i], &h->name);
			break;
		case NQSTAT_A_HOOK_KIND:
			ret = get_u8(tb[i], &h->kind);
			break;
		case NQSTAT_A_HOOK_STATE:
			ret = get_u8(tb[i], &h->state);
			break;
		case NQSTAT_A_HOOK_ERRNO:
			ret = get_u32(tb[i], &h->err);
			break;
		case NQSTAT_A_HOOK_REASON:
			ret = get_str(tb[i], &h->reason);
			break;
		case NQSTAT_A_HOOK_MISSED:
			ret = get_u64(tb[i], &h->missed);
			break;
		default:
			continue;
		}
		if (ret == -ENOMEM)
			return ret;
		if (ret < 0)
			return bad(why, "hook attribute of the wrong size or not a string");
		h->present |= NQ_BIT(i);
	}
	return 0;
}

static int parse_hooks(struct nlattr *nest, struct nq_status *st,
		       const char **why)
{
	struct nlattr *a;
	size_t n = 0;
	int rem, ret;

	nla_for_each_nested(a, nest, rem)
		n++;
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

int nq_parse_status(struct nlmsghdr *nlh, struct nq_status *st,
		    const char **why)
{
	struct nlattr *tb[NQSTAT_A_MAX + 1];
	int ret, i;

	memset(st, 0, sizeof(*st));
	if (genlmsg_parse(nlh, 0, tb, NQSTAT_A_MAX, NULL) < 0)
		return bad(why, "malformed status message");
	for (i = 1; i <= NQSTAT_A_MAX; i++) {
		if (!tb[i])
			continue;
		switch (i) {
		case NQSTAT_A_VERSION:
			ret = get_str(tb[i], &st->version);
			break;
		case NQSTAT_A_KERNEL_RELEASE:
			ret = get_str(tb[i], &st->kernel_release);
			break;
		case NQSTAT_A_HOOKS:
			ret = parse_hooks(tb[i], st, why);
			if (ret < 0) {
				nq_status_free(st);
				return ret;
			}
			break;
		case NQSTAT_A_LISTENERS_TRACKED:
			ret = get_u32(tb[i], &st->listeners_tracked);
			break;
		case NQSTAT_A_LISTENERS_MAX:
			ret = get_u32(tb[i], &st->listeners_max);
			break;
		case NQSTAT_A_UNTRACKED_EVENTS:
			ret = get_u64(tb[i], &st->untracked_events);
			break;
		case NQSTAT_A_GRACE_PERIOD:
			ret = get_u32(tb[i], &st->grace_period_s);
			break;
		case NQSTAT_A_LISTENERS_ADOPTED:
			ret = get_u32(tb[i], &st->listeners_adopted);
			break;
		case NQSTAT_A_LISTENERS_FOREIGN:
			ret = get_u64(tb[i], &st->listeners_foreign);
			break;
		default:
			continue;
		}
		if (ret < 0) {
			nq_status_free(st);
			if (ret == -ENOMEM)
				return ret;
			return bad(why, "status attribute of the wrong size or not a string");
		}
		st->present |= NQ_BIT(i);
	}
	return 0;
}


static int parse_counters(struct nlattr *nest, struct nq_listener *l,
			  const char **why)
{
	struct nlattr *a;
	int rem, type;

	nla_for_each_nested(a, nest, rem) {
		type = nla_type(a);
		if (type <= NQSTAT_CTR_PAD || type > NQSTAT_CTR_MAX)
			continue;
		if (get_u64(a, &l->counters[type]) < 0)
			return bad(why, "counter of the wrong size");
		l->counters_present |= NQ_BIT(type);
	}
	if (rem > 0)
		return bad(why, "malformed counters");
	return 0;
}

int nq_parse_listener(struct nlmsghdr *nlh, struct nq_listener *l,
		      const char **why)
{
	struct nlattr *tb[NQSTAT_A_MAX + 1];
	struct nlattr *lt[NQSTAT_A_LISTENER_MAX + 1];
	struct nq_listener n = { 0 };
	struct nlattr *a;
	int ret = 0, i, len;

	if (genlmsg_parse(nlh, 0, tb, NQSTAT_A_MAX, NULL) < 0)
		return bad(why, "malformed listener message");
	if (!tb[NQSTAT_A_LISTENER])
		return bad(why, "listener message without NQSTAT_A_LISTENER");
	if (nla_parse_nested(lt, NQSTAT_A_LISTENER_MAX, tb[NQSTAT_A_LISTENER],
			     NULL) < 0)
		return bad(why, "malformed listener attributes");
	for (i = 1; i <= NQSTAT_A_LISTENER_MAX; i++) {
		a = lt[i];
		if (!a)
			continue;
		switch (i) {
		case NQSTAT_A_LISTENER_COOKIE:
			ret = get_u64(a, &n.cookie);
			break;
		case NQSTAT_A_LISTENER_NETNS_INODE:
			ret = get_u32(a, &n.netns_inode);
			break;
		case NQSTAT_A_LISTENER_NETNS_COOKIE:
			ret = get_u64(a, &n.netns_cookie);
			break;
		case NQSTAT_A_LISTENER_FAMILY:
			ret = get_u8(a, &n.family);
			if (!ret && n.family != AF_INET && n.family != AF_INET6)
				return bad(why, "listener of unknown address family");
			break;
		case NQSTAT_A_LISTENER_ADDR:
			/* Checked against the family below. */
			len = nla_len(a);
			if (len != 4 && len != 16)
				return bad(why, "listener address of the wrong size");
			memcpy(n.addr, nla_data(a), (size_t)len);
			break;
		case NQSTAT_A_LISTENER_PORT:
			ret = get_u16(a, &n.port);
			break;
		case NQSTAT_A_LISTENER_IFINDEX:
			ret = get_u32(a, &n.ifindex);
			break;
		case NQSTAT_A_LISTENER_STATE:
			ret = get_u8(a, &n.state);
			break;
		case NQSTAT_A_LISTENER_BACKLOG:
			ret = get_u32(a, &n.backlog);
			break;
		case NQSTAT_A_LISTENER_CLOSED_MSECS:
			ret = get_u32(a, &n.closed_ms);
			break;
		case NQSTAT_A_LISTENER_BACKLOG_SOURCE:
			/* Values this version does not know are kept. */
			ret = get_u8(a, &n.backlog_source);
			break;
		case NQSTAT_A_LISTENER_ACCEPTQ_LEN:
			ret = get_u32(a, &n.acceptq_len);
			break;
		case NQSTAT_A_LISTENER_SYNQ_LEN:
			ret = get_u32(a, &n.synq_len);
			break;
		case NQSTAT_A_LISTENER_ACCEPTQ_PEAK:
			ret = get_u32(a, &n.acceptq_peak);
			break;
		case NQSTAT_A_LISTENER_SYNQ_PEAK:
			ret = get_u32(a, &n.synq_peak);
			break;
		case NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET:
			ret = get_u32(a, &n.acceptq_peak_reset);
			break;
		case NQSTAT_A_LISTENER_SYNQ_PEAK_RESET:
			ret = get_u32(a, &n.synq_peak_reset);
			break;
		case NQSTAT_A_LISTENER_KERNEL_DROPS:
			ret = get_u64(a, &n.kernel_drops);
			break;
		case NQSTAT_A_LISTENER_RESET_MSECS:
			ret = get_u32(a, &n.reset_ms);
			break;
		case NQSTAT_A_LISTENER_COUNTERS:
			ret = parse_counters(a, &n, why);
			if (ret < 0)
				return ret;
			break;
		default:
			continue;
		}
		if (ret < 0)
			return bad(why, "listener attribute of the wrong size");
		n.present |= NQ_BIT(i);
	}
	if (nq_has(n.present, NQSTAT_A_LISTENER_ADDR)) {
		len = nla_len(lt[NQSTAT_A_LISTENER_ADDR]);
		if (!nq_has(n.present, NQSTAT_A_LISTENER_FAMILY))
			return bad(why, "listener address without a family");
		if (len != (n.family == AF_INET ? 4 : 16))
			return bad(why, "listener address does not match its family");
	}
	*l = n;
	return 0;
}

static int parse_sysctls(struct nlattr *nest, struct nq_netns *ns,
			 const char **why)
{
	struct nlattr *tb[NQSTAT_A_SYSCTL_MAX + 1];
	int ret, i;

	if (nla_parse_nested(tb, NQSTAT_A_SYSCTL_MAX, nest, NULL) < 0)
		return bad(why, "malformed sysctls");
	for (i = 1; i <= NQSTAT_A_SYSCTL_MAX; i++) {
		if (!tb[i])
			continue;
		switch (i) {
		case NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS:
			ret = get_u32(tb[i], &ns->max_tw_buckets);
			break;
		case NQSTAT_A_SYSCTL_PORT_RANGE_LOW:
			ret = get_u16(tb[i], &ns->port_range_low);
			break;
		case NQSTAT_A_SYSCTL_PORT_RANGE_HIGH:
			ret = get_u16(tb[i], &ns->port_range_high);
			break;
		case NQSTAT_A_SYSCTL_TCP_TW_REUSE:
			ret = get_u8(tb[i], &ns->tw_reuse);
			break;
		case NQSTAT_A_SYSCTL_TCP_TIMESTAMPS:
			ret = get_u8(tb[i], &ns->timestamps);
			break;
		case NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT:
			ret = get_u32(tb[i], &ns->fin_timeout_s);
			break;
		default:
			continue;
		}
		if (ret < 0)
			return bad(why, "sysctl of the wrong size");
		ns->sysctls_present |= NQ_BIT(i);
	}
	return 0;
}

static int parse_ct(struct nlattr *nest, struct nq_ct *ct, const char **why)
{
	struct nlattr *tb[NQSTAT_A_CT_MAX + 1];
	int ret, i;

	if (nla_parse_nested(tb, NQSTAT_A_CT_MAX, nest, NULL) < 0)
		return bad(why, "malformed conntrack attributes");
	for (i = 1; i <= NQSTAT_A_CT_MAX; i++) {
		if (!tb[i])
			continue;
		switch (i) {
		case NQSTAT_A_CT_STATE:
			ret = get_u8(tb[i], &ct->state);
			break;
		case NQSTAT_A_CT_COUNT:
			ret = get_u32(tb[i], &ct->count);
			break;
		case NQSTAT_A_CT_PEAK:
			ret = get_u32(tb[i], &ct->peak);
			break;
		case NQSTAT_A_CT_LIMIT:
			ret = get_u32(tb[i], &ct->max);
			break;
		case NQSTAT_A_CT_BUCKETS:
			ret = get_u32(tb[i], &ct->buckets);
			break;
		case NQSTAT_A_CT_TABLE_FULL_DROPS:
			ret = get_u64(tb[i], &ct->table_full_drops);
			break;
		case NQSTAT_A_CT_EARLY_DROPS:
			ret = get_u64(tb[i], &ct->early_drops);
			break;
		case NQSTAT_A_CT_INSERT_FAILED:
			ret = get_u64(tb[i], &ct->insert_failed);
			break;
		case NQSTAT_A_CT_DROPS:
			ret = get_u64(tb[i], &ct->drops);
			break;
		default:
			continue;
		}
		if (ret < 0)
			return bad(why, "conntrack attribute of the wrong size");
		ct->present |= NQ_BIT(i);
	}
	if (!nq_has(ct->present, NQSTAT_A_CT_STATE))
		return bad(why, "conntrack attributes without a state");
	return 0;
}

static int parse_dest(struct nlattr *nest, struct nq_tw_dest *d,
		      const char **why)
{
	struct nlattr *tb[NQSTAT_A_DEST_MAX + 1];
	int ret, i, len = 0;

	if (nla_parse_nested(tb, NQSTAT_A_DEST_MAX, nest, NULL) < 0)
		return bad(why, "malformed destination");
	for (i = 1; i <= NQSTAT_A_DEST_MAX; i++) {
		if (!tb[i])
			continue;
		switch (i) {
		case NQSTAT_A_DEST_FAMILY:
			ret = get_u8(tb[i], &d->family);
			if (!ret && d->family != AF_INET &&
			    d->family != AF_INET6)
				return bad(why, "destination of unknown address family");
			break;
		case NQSTAT_A_DEST_ADDR:
			/* Checked against the family below. */
			len = nla_len(tb[i]);
			if (len != 4 && len != 16)
				return bad(why, "destination address of the wrong size");
			memcpy(d->addr, nla_data(tb[i]), (size_t)len);
			ret = 0;
			break;
		case NQSTAT_A_DEST_PORT:
			ret = get_u16(tb[i], &d->port);
			break;
		case NQSTAT_A_DEST_TW_COUNT:
			ret = get_u32(tb[i], &d->tw_count);
			break;
		default:
			continue;
		}
		if (ret < 0)
			return bad(why, "destination attribute of the wrong size");
		d->present |= NQ_BIT(i);
	}
	if (nq_has(d->present, NQSTAT_A_DEST_ADDR)) {
		if (!nq_has(d->present, NQSTAT_A_DEST_FAMILY))
			return bad(why, "destination address without a family");
		if (len != (d->family == AF_INET ? 4 : 16))
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

	nla_for_each_nested(a, nest, rem)
		n++;
	if (rem > 0)
		return bad(why, "malformed destinations");
	if (!n)
		return 0;
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
	struct nlattr *tb[NQSTAT_A_MAX + 1];
	struct nlattr *nt[NQSTAT_A_NETNS_MAX + 1];
	struct nq_netns n = { 0 };
	struct nlattr *a;
	int ret = 0, i;

	if (genlmsg_parse(nlh, 0, tb, NQSTAT_A_MAX, NULL) < 0)
		return bad(why, "malformed namespace message");
	if (!tb[NQSTAT_A_NETNS])
		return bad(why, "namespace message without NQSTAT_A_NETNS");
	if (nla_parse_nested(nt, NQSTAT_A_NETNS_MAX, tb[NQSTAT_A_NETNS],
			     NULL) < 0)
		return bad(why, "malformed namespace attributes");
	for (i = 1; i <= NQSTAT_A_NETNS_MAX; i++) {
		a = nt[i];
		if (!a)
			continue;
		switch (i) {
		case NQSTAT_A_NETNS_INODE:
			ret = get_u32(a, &n.inode);
			break;
		case NQSTAT_A_NETNS_COOKIE:
			ret = get_u64(a, &n.cookie);
			break;
		case NQSTAT_A_NETNS_TW_COUNT:
			ret = get_u32(a, &n.tw_count);
			break;
		case NQSTAT_A_NETNS_TW_PEAK:
			ret = get_u32(a, &n.tw_peak);
			break;
		case NQSTAT_A_NETNS_TW_CREATED:
			ret = get_u64(a, &n.tw_created);
			break;
		case NQSTAT_A_NETNS_TW_OVERFLOWS:
			ret = get_u64(a, &n.tw_overflows);
			break;
		case NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED:
			ret = get_u64(a, &n.connect_port_exhausted);
			break;
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
			break;
		case NQSTAT_A_NETNS_CT:
			ret = parse_ct(a, &n.ct, why);
			if (ret < 0)
				goto fail;
			break;
		default:
			continue;
		}
		if (ret < 0) {
			ret = bad(why, "namespace attribute of the wrong size");
			goto fail;
		}
		n.present |= NQ_BIT(i);
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
