// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "nqstat"; uapi/linux/nqstat.h documents it.
 * Every reply is built here, and the namespace record in netlink_netns.c,
 * from what the other files read.
 */

#include <linux/capability.h>
#include <linux/jiffies.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/netlink.h>
#include <uapi/linux/nqstat.h>

#include "compat.h"
#include "counters.h"
#include "hooks.h"
#include "listeners.h"
#include "netlink.h"
#include "netlink_netns.h"
#include "netns.h"
#include "track.h"
#include "version.h"

static struct genl_family nq_family;

/* GET_STATUS takes no attribute: every one is rejected as unsupported. */
static const struct nla_policy nq_status_policy[NQSTAT_A_MAX + 1] = {};

static const struct nla_policy nq_listeners_policy[NQSTAT_A_MAX + 1] = {
	[NQSTAT_A_ALL_NETNS] = { .type = NLA_FLAG },
	[NQSTAT_A_FILTER_FAMILY] = { .type = NLA_U8 },
	/* Checked against the family by nq_listeners_parse(). */
	[NQSTAT_A_FILTER_ADDR] = { .type = NLA_BINARY },
	[NQSTAT_A_FILTER_PORT] = { .type = NLA_U16 },
};

/* RESET takes the same filters as a dump, without ALL_NETNS. */
static const struct nla_policy nq_reset_policy[NQSTAT_A_MAX + 1] = {
	[NQSTAT_A_FILTER_FAMILY] = { .type = NLA_U8 },
	[NQSTAT_A_FILTER_ADDR] = { .type = NLA_BINARY },
	[NQSTAT_A_FILTER_PORT] = { .type = NLA_U16 },
};

static const struct nla_policy nq_netns_policy[NQSTAT_A_MAX + 1] = {
	[NQSTAT_A_ALL_NETNS] = { .type = NLA_FLAG },
	[NQSTAT_A_TOP_N] = { .type = NLA_U32 },
};

static int nq_hook_feeds_fill(struct sk_buff *skb, enum nq_hook_id id)
{
	struct nlattr *nest = nla_nest_start(skb, NQSTAT_A_HOOK_FEEDS);
	unsigned int pos = 0;
	const char *feed;

	if (!nest)
		return -EMSGSIZE;
	while ((feed = nq_hook_feed_next(id, &pos))) {
		if (nla_put_string(skb, NQSTAT_A_HOOK_FEED, feed)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nq_hook_fill(struct sk_buff *skb, enum nq_hook_id id,
			const struct nq_hook_info *h, bool host)
{
	struct nlattr *nest = nla_nest_start(skb, 0);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, NQSTAT_A_HOOK_NAME, h->name) ||
	    nla_put_u8(skb, NQSTAT_A_HOOK_KIND, h->kind) ||
	    nla_put_u8(skb, NQSTAT_A_HOOK_STATE, h->attached ?
		       NQSTAT_HOOK_ATTACHED : NQSTAT_HOOK_UNAVAILABLE))
		goto cancel;
	if (!h->attached &&
	    (nla_put_u32(skb, NQSTAT_A_HOOK_ERRNO, -h->err) ||
	     nla_put_string(skb, NQSTAT_A_HOOK_REASON, h->reason)))
		goto cancel;
	if (host && h->kind == NQSTAT_HOOK_KRETPROBE && h->attached &&
	    nla_put_u64_64bit(skb, NQSTAT_A_HOOK_MISSED, h->missed,
			      NQSTAT_A_HOOK_PAD))
		goto cancel;
	if (nq_hook_feeds_fill(skb, id))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* @host: with the host-wide figures (the missed counts). */
static int nq_hooks_fill(struct sk_buff *skb, bool host)
{
	struct nlattr *nest = nla_nest_start(skb, NQSTAT_A_HOOKS);
	struct nq_hook_info info[NQ_HOOK_COUNT];
	int i;

	if (!nest)
		return -EMSGSIZE;
	nq_hooks_read(info);
	for (i = 0; i < NQ_HOOK_COUNT; i++) {
		if (nq_hook_fill(skb, i, &info[i], host)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Host-wide figures go only to CAP_NET_ADMIN in the initial user namespace;
 * anyone else gets those of the namespace the request came from.
 */
static int nq_get_status(struct sk_buff *skb, struct genl_info *info)
{
	bool host = netlink_capable(skb, CAP_NET_ADMIN);
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nq_family, 0,
				NQSTAT_CMD_GET_STATUS);
	if (!hdr)
		goto nospace;
	if (nla_put_string(msg, NQSTAT_A_VERSION, NQSTAT_VERSION) ||
	    nla_put_string(msg, NQSTAT_A_KERNEL_RELEASE,
			   init_utsname()->release) ||
	    nq_hooks_fill(msg, host) ||
	    nla_put_u32(msg, NQSTAT_A_LISTENERS_TRACKED, host ?
			nq_listeners_count() :
			nq_listeners_count_net(genl_info_net(info))) ||
	    nla_put_u32(msg, NQSTAT_A_LISTENERS_MAX,
			host ? nq_max_listeners() : nq_netns_share()) ||
	    nla_put_u32(msg, NQSTAT_A_GRACE_PERIOD, nq_grace_period()))
		goto nospace;
	if (host &&
	    (nla_put_u64_64bit(msg, NQSTAT_A_UNTRACKED_EVENTS,
			       nq_untracked_read(), NQSTAT_A_PAD) ||
	     nla_put_u32(msg, NQSTAT_A_LISTENERS_ADOPTED,
			 nq_listeners_adopted()) ||
	     nla_put_u64_64bit(msg, NQSTAT_A_LISTENERS_FOREIGN,
			       nq_listeners_foreign(), NQSTAT_A_PAD)))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* Which listeners a dump or a reset is about. */
struct nq_filter {
	const struct net *net;		/* NULL: all namespaces */
	struct in6_addr addr;
	u16 port;
	u8 family;
	bool has_addr;
};

/* Dump state, kept in cb->ctx between the calls of one dump. */
struct nq_dump_ctx {
	u64 last_seq;			/* entries up to this one were sent */
	u64 last_cookie;		/* the last one's; 0: not started */
	struct nq_filter filter;
};

/* last_cookie once the request is parsed and nothing sent (no cookie is). */
#define NQ_DUMP_NONE U64_MAX

static_assert(sizeof(struct nq_dump_ctx) <=
	      sizeof_field(struct netlink_callback, ctx));

static int nq_addr_len(u8 family)
{
	return family == AF_INET ? sizeof(struct in_addr) :
				   sizeof(struct in6_addr);
}

/* The filters of a request, checked beyond what the policy can say. */
static int nq_filter_parse(struct nlattr **attrs, struct nq_filter *f,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *addr = attrs[NQSTAT_A_FILTER_ADDR];
	struct nlattr *family = attrs[NQSTAT_A_FILTER_FAMILY];
	struct nlattr *port = attrs[NQSTAT_A_FILTER_PORT];

	if (family) {
		f->family = nla_get_u8(family);
		if (f->family != AF_INET && f->family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, family,
					    "family must be AF_INET or AF_INET6");
			return -EINVAL;
		}
	}
	if (addr) {
		if (!f->family) {
			NL_SET_ERR_MSG_ATTR(extack, addr,
					    "address filter needs a family filter");
			return -EINVAL;
		}
		if (nla_len(addr) != nq_addr_len(f->family)) {
			NL_SET_ERR_MSG_ATTR(extack, addr,
					    "address length does not match the family");
			return -EINVAL;
		}
		memcpy(&f->addr, nla_data(addr), nla_len(addr));
		f->has_addr = true;
	}
	if (port) {
		f->port = nla_get_u16(port);
		if (!f->port) {
			NL_SET_ERR_MSG_ATTR(extack, port,
					    "port filter must be 1 to 65535");
			return -EINVAL;
		}
	}
	return 0;
}

/* NQSTAT_A_ALL_NETNS, allowed with CAP_NET_ADMIN in the initial userns. */
static int nq_all_netns_parse(struct netlink_callback *cb,
			      struct nlattr **attrs, bool *all)
{
	*all = nla_get_flag(attrs[NQSTAT_A_ALL_NETNS]);
	if (*all && !netlink_capable(cb->skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[NQSTAT_A_ALL_NETNS],
				    "listing all network namespaces needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	return 0;
}

/*
 * Checked in the first dumpit call, not in .start: 6.1 has no extack in
 * .start, and a dump's first error reaches the caller in NLMSG_DONE with
 * its extack.
 */
static int nq_listeners_parse(struct netlink_callback *cb,
			      struct nq_dump_ctx *ctx)
{
	struct nlattr **attrs = nq_dump_attrs(cb);
	bool all_netns;
	int err;

	err = nq_all_netns_parse(cb, attrs, &all_netns);
	if (err)
		return err;
	ctx->filter.net = all_netns ? NULL : sock_net(cb->skb->sk);
	return nq_filter_parse(attrs, &ctx->filter, cb->extack);
}

static bool nq_listener_match(const struct nq_listener *l, const void *arg)
{
	const struct nq_filter *f = arg;

	if (f->net && !net_eq(read_pnet(&l->net), f->net))
		return false;
	if (f->family && l->family != f->family)
		return false;
	if (f->port && READ_ONCE(l->port) != f->port)
		return false;
	return !f->has_addr ||
	       !memcmp(&l->addr, &f->addr, nq_addr_len(f->family));
}

static int nq_counters_fill(struct sk_buff *skb, const struct nq_listener *l)
{
	struct nq_counters sum;
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, NQSTAT_A_LISTENER_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	nq_listener_read(l, &sum);
	for (i = NQSTAT_CTR_PAD + 1; i <= NQSTAT_CTR_MAX; i++) {
		if (!nq_counter_available(i))
			continue;
		if (nla_put_u64_64bit(skb, i, sum.v[i], NQSTAT_CTR_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * What only the live socket knows. Without it (not yet attached: no SYN or
 * accept() since listen()), the queues are empty: only a SYN fills them.
 * Caller holds rcu_read_lock().
 */
static int nq_live_fill(struct sk_buff *skb, const struct nq_listener *l,
			u8 state)
{
	const struct sock *sk = rcu_dereference(l->sk);
	u32 acceptq = 0, synq = 0;

	if (state != NQSTAT_LISTENER_LISTENING)
		return 0;
	if (sk) {
		acceptq = READ_ONCE(sk->sk_ack_backlog);
		synq = inet_csk_reqsk_queue_len(sk);
		if (nla_put_u64_64bit(skb, NQSTAT_A_LISTENER_KERNEL_DROPS,
				      nq_sk_drops(sk), NQSTAT_A_LISTENER_PAD))
			return -EMSGSIZE;
	}
	if (nla_put_u32(skb, NQSTAT_A_LISTENER_ACCEPTQ_LEN, acceptq) ||
	    nla_put_u32(skb, NQSTAT_A_LISTENER_SYNQ_LEN, synq))
		return -EMSGSIZE;
	return 0;
}

static int nq_peaks_fill(struct sk_buff *skb, const struct nq_listener *l)
{
	u64 reset_at = READ_ONCE(l->reset_at);
	u8 source = READ_ONCE(l->backlog_source);

	if (nq_hook_attached(NQ_HOOK_SYN_RECV_SOCK) &&
	    (nla_put_u32(skb, NQSTAT_A_LISTENER_ACCEPTQ_PEAK,
			 READ_ONCE(l->acceptq_peak)) ||
	     nla_put_u32(skb, NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET,
			 READ_ONCE(l->acceptq_peak_reset))))
		return -EMSGSIZE;
	if (nq_hook_attached(NQ_HOOK_CONN_REQUEST) &&
	    (nla_put_u32(skb, NQSTAT_A_LISTENER_SYNQ_PEAK,
			 READ_ONCE(l->synq_peak)) ||
	     nla_put_u32(skb, NQSTAT_A_LISTENER_SYNQ_PEAK_RESET,
			 READ_ONCE(l->synq_peak_reset))))
		return -EMSGSIZE;
	if (source && nla_put_u8(skb, NQSTAT_A_LISTENER_BACKLOG_SOURCE, source))
		return -EMSGSIZE;
	if (reset_at &&
	    nla_put_u64_64bit(skb, NQSTAT_A_LISTENER_RESET_MSECS,
			      jiffies64_to_msecs(get_jiffies_64() - reset_at),
			      NQSTAT_A_LISTENER_PAD))
		return -EMSGSIZE;
	return 0;
}

static int nq_listener_fill(struct sk_buff *skb, struct netlink_callback *cb,
			    const struct nq_listener *l)
{
	/* Pairs with smp_store_release() in nq_listener_close(). */
	u8 state = smp_load_acquire(&l->state);
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &nq_family, NLM_F_MULTI, NQSTAT_CMD_GET_LISTENERS);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, NQSTAT_A_LISTENER);
	if (!nest)
		goto cancel;
	if (nla_put_u64_64bit(skb, NQSTAT_A_LISTENER_COOKIE, l->cookie,
			      NQSTAT_A_LISTENER_PAD) ||
	    nla_put_u32(skb, NQSTAT_A_LISTENER_NETNS_INODE, l->netns_ino) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_LISTENER_NETNS_COOKIE,
			      l->netns_cookie, NQSTAT_A_LISTENER_PAD) ||
	    nla_put_u8(skb, NQSTAT_A_LISTENER_FAMILY, l->family) ||
	    nla_put(skb, NQSTAT_A_LISTENER_ADDR, nq_addr_len(l->family),
		    &l->addr) ||
	    nla_put_u16(skb, NQSTAT_A_LISTENER_PORT, READ_ONCE(l->port)) ||
	    nla_put_u32(skb, NQSTAT_A_LISTENER_IFINDEX, l->ifindex) ||
	    nla_put_u8(skb, NQSTAT_A_LISTENER_STATE, state) ||
	    nla_put_u32(skb, NQSTAT_A_LISTENER_BACKLOG, READ_ONCE(l->backlog)))
		goto cancel;
	if (state == NQSTAT_LISTENER_CLOSED &&
	    nla_put_u64_64bit(skb, NQSTAT_A_LISTENER_CLOSED_MSECS,
			      jiffies64_to_msecs(get_jiffies_64() -
						 READ_ONCE(l->closed_at)),
			      NQSTAT_A_LISTENER_PAD))
		goto cancel;
	if (nq_live_fill(skb, l, state) || nq_peaks_fill(skb, l) ||
	    nq_counters_fill(skb, l))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int nq_listeners_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nq_dump_ctx *ctx = (struct nq_dump_ctx *)cb->ctx;
	struct nq_listener *l;
	struct nq_net *nn = NULL;
	int err;

	if (!ctx->last_cookie) {
		err = nq_listeners_parse(cb, ctx);
		if (err)
			return err;
		ctx->last_cookie = NQ_DUMP_NONE;
	}
	rcu_read_lock();
	/* One namespace's: only its own entries are walked. */
	if (ctx->filter.net) {
		nn = nq_net(ctx->filter.net);
		if (!nn)
			goto out;
	}
	/* Each call goes on where the last one stopped: one pass in all. */
	for (l = nq_listener_resume(nn, ctx->last_cookie, ctx->last_seq); l;
	     l = nq_listener_next(nn, l)) {
		if (!nq_listener_match(l, &ctx->filter))
			continue;
		if (nq_listener_fill(skb, cb, l))
			break;
		ctx->last_seq = l->seq;
		ctx->last_cookie = l->cookie;
	}
out:
	rcu_read_unlock();
	return skb->len;
}

/* GET_NETNS dump state, in cb->ctx. */
struct nq_netns_ctx {
	struct net *next;		/* referenced: the next one to send */
	u32 top_n;			/* 0: no TIME_WAIT destinations */
	bool started, all_netns;
};

static_assert(sizeof(struct nq_netns_ctx) <=
	      sizeof_field(struct netlink_callback, ctx));

#define NQ_TOP_N_MAX 100

static int nq_netns_parse(struct netlink_callback *cb, struct nq_netns_ctx *ctx)
{
	struct nlattr **attrs = nq_dump_attrs(cb);
	struct nlattr *top = attrs[NQSTAT_A_TOP_N];
	int err;

	err = nq_all_netns_parse(cb, attrs, &ctx->all_netns);
	if (err)
		return err;
	if (!top)
		return 0;
	ctx->top_n = nla_get_u32(top);
	if (!ctx->top_n || ctx->top_n > NQ_TOP_N_MAX) {
		NL_SET_ERR_MSG_ATTR(cb->extack, top, "top N must be 1 to 100");
		return -EINVAL;
	}
	return 0;
}

/*
 * One namespace a call: its TIME_WAIT walk may take a while. The next
 * namespace of a dump of all is found from the one just sent, which the
 * dump holds a reference on: one pass over them.
 */
static int nq_netns_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nq_netns_ctx *ctx = (struct nq_netns_ctx *)cb->ctx;
	struct net *net;
	void *hdr;
	int err;

	if (!ctx->started) {
		err = nq_netns_parse(cb, ctx);
		if (err)
			return err;
		ctx->started = true;
		ctx->next = ctx->all_netns ? nq_netns_next(NULL) :
					     get_net(sock_net(cb->skb->sk));
	}
	net = ctx->next;
	if (!net)
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &nq_family, NLM_F_MULTI, NQSTAT_CMD_GET_NETNS);
	err = hdr ? nq_netns_fill(skb, net, ctx->top_n) : -EMSGSIZE;
	if (err) {
		if (hdr)
			genlmsg_cancel(skb, hdr);
		return err;
	}
	genlmsg_end(skb, hdr);
	ctx->next = ctx->all_netns ? nq_netns_next(net) : NULL;
	put_net(net);
	return skb->len;
}

static int nq_netns_done(struct netlink_callback *cb)
{
	struct nq_netns_ctx *ctx = (struct nq_netns_ctx *)cb->ctx;

	if (ctx->next)
		put_net(ctx->next);
	ctx->next = NULL;
	return 0;
}

/* Zero the counters and the since-reset peaks of the caller's listeners. */
static int nq_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct nq_filter f = { .net = genl_info_net(info) };
	int err;

	err = nq_filter_parse(info->attrs, &f, info->extack);
	if (err)
		return err;
	nq_listeners_reset(f.net, nq_listener_match, &f);
	return 0;
}

static const struct genl_ops nq_ops[] = {
	{
		.cmd = NQSTAT_CMD_GET_STATUS,
		.doit = nq_get_status,
		.policy = nq_status_policy,
		.maxattr = NQSTAT_A_MAX,
	},
	{
		.cmd = NQSTAT_CMD_GET_LISTENERS,
		.dumpit = nq_listeners_dump,
		.policy = nq_listeners_policy,
		.maxattr = NQSTAT_A_MAX,
	},
	{
		.cmd = NQSTAT_CMD_GET_NETNS,
		.dumpit = nq_netns_dump,
		.done = nq_netns_done,
		.policy = nq_netns_policy,
		.maxattr = NQSTAT_A_MAX,
	},
	{
		.cmd = NQSTAT_CMD_RESET,
		.doit = nq_reset,
		.policy = nq_reset_policy,
		.maxattr = NQSTAT_A_MAX,
		/* CAP_NET_ADMIN in the namespace's own user namespace. */
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family nq_family __ro_after_init = {
	.name = NQSTAT_GENL_NAME,
	.version = NQSTAT_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.ops = nq_ops,
	.n_ops = ARRAY_SIZE(nq_ops),
	/* Strict validation and a policy for every command. */
	.resv_start_op = 0,
	/*
	 * No genl_mutex: a long dump must not stall other families. What
	 * the commands share is under the module's own locks (nq_lock,
	 * nq_hooks_lock) or RCU.
	 */
	.parallel_ops = true,
};

int __init nq_netlink_init(void)
{
	return genl_register_family(&nq_family);
}

void nq_netlink_exit(void)
{
	genl_unregister_family(&nq_family);
}
