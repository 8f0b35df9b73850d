/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A GET_STATUS reply as the module sends it (kmod/hooks.c,
 * nq_hook_feeds_fill()), built with libnl: its eight hooks, each with its
 * NQSTAT_A_HOOK_FEEDS in the module's order, or without them as an older
 * module sends it. The tests parse it with nq_parse_status(), so the
 * fields a hook feeds reach counters.c and status.c as they would from
 * the module: the tool has no list of its own.
 */
#ifndef NQSTAT_TESTS_TSTATUS_H
#define NQSTAT_TESTS_TSTATUS_H

#include <errno.h>
#include <stdbool.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl/nlparse.h"

#define TS_MAX_FEEDS 8

struct ts_hook {
	const char *name;
	uint8_t kind, state;
	uint32_t err;			/* 0: none */
	const char *reason;
	const char *feeds[TS_MAX_FEEDS];	/* NULL-terminated */
};

/* The module's hooks, in the order of GET_STATUS, and what they feed. */
static const struct ts_hook ts_hooks[] = {
	{ "sock:inet_sock_set_state", NQSTAT_HOOK_TRACEPOINT,
	  NQSTAT_HOOK_ATTACHED, 0, NULL,
	  { "netns.tw_peak", "netns.connect_port_exhausted" } },
	{ "tcp:tcp_retransmit_synack", NQSTAT_HOOK_TRACEPOINT,
	  NQSTAT_HOOK_ATTACHED, 0, NULL, { "listener.synack_retransmits" } },
	{ "af_ops:conn_request", NQSTAT_HOOK_TABLE, NQSTAT_HOOK_ATTACHED, 0,
	  NULL, { "listener.syn_queue_drops", "listener.syn_cookies_sent",
		  "listener.syn_backlog_drops",
		  "listener.accept_queue_drops_syn", "listener.other_drops",
		  "listener.synq_peak", "listener.synq_peak_reset" } },
	{ "af_ops:syn_recv_sock", NQSTAT_HOOK_TABLE, NQSTAT_HOOK_ATTACHED, 0,
	  NULL, { "listener.handshakes_completed",
		  "listener.accept_queue_overflows",
		  "listener.accept_queue_overflow_resets",
		  "listener.other_drops", "listener.acceptq_peak",
		  "listener.acceptq_peak_reset" } },
	{ "proto_ops:accept", NQSTAT_HOOK_TABLE, NQSTAT_HOOK_UNAVAILABLE,
	  ECANCELED, "disabled by the module parameter disable_hooks",
	  { "listener.accepted" } },
	{ "tcp_peer_is_proven", NQSTAT_HOOK_KRETPROBE, NQSTAT_HOOK_ATTACHED, 0,
	  NULL, { "listener.syn_backlog_drops", "listener.other_drops" } },
	{ "nf_conntrack:early_drop", NQSTAT_HOOK_KRETPROBE,
	  NQSTAT_HOOK_UNAVAILABLE, ENOENT, "module nf_conntrack not loaded",
	  { "ct.table_full_drops" } },
	{ "nf_conntrack:__nf_conntrack_alloc", NQSTAT_HOOK_KRETPROBE,
	  NQSTAT_HOOK_ATTACHED, 0, NULL, { "ct.peak" } },
};

#define TS_N_HOOKS (sizeof(ts_hooks) / sizeof(ts_hooks[0]))

/* The reply, with the feeds (with_feeds) or as an older module's. */
static inline struct nl_msg *ts_status_msg(bool with_feeds)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *hooks, *h, *f;
	size_t i, k;
	int err = 0;

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, 0, 1, 0x1c, 0, 0, NQSTAT_CMD_GET_STATUS,
			 NQSTAT_GENL_VERSION))
		goto fail;
	err |= nla_put_string(msg, NQSTAT_A_VERSION, "0.2.0");
	hooks = nla_nest_start(msg, NQSTAT_A_HOOKS);
	if (!hooks)
		goto fail;
	for (i = 0; i < TS_N_HOOKS; i++) {
		const struct ts_hook *t = &ts_hooks[i];

		h = nla_nest_start(msg, (int)i);
		if (!h)
			goto fail;
		err |= nla_put_string(msg, NQSTAT_A_HOOK_NAME, t->name);
		err |= nla_put_u8(msg, NQSTAT_A_HOOK_KIND, t->kind);
		err |= nla_put_u8(msg, NQSTAT_A_HOOK_STATE, t->state);
		if (t->err)
			err |= nla_put_u32(msg, NQSTAT_A_HOOK_ERRNO, t->err);
		if (t->reason)
			err |= nla_put_string(msg, NQSTAT_A_HOOK_REASON,
					      t->reason);
		if (with_feeds) {
			f = nla_nest_start(msg, NQSTAT_A_HOOK_FEEDS);
			if (!f)
				goto fail;
			for (k = 0; k < TS_MAX_FEEDS && t->feeds[k]; k++)
				err |= nla_put_string(msg, NQSTAT_A_HOOK_FEED,
						      t->feeds[k]);
			nla_nest_end(msg, f);
		}
		nla_nest_end(msg, h);
	}
	nla_nest_end(msg, hooks);
	if (!err)
		return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

/* The reply parsed into st (freed with nq_status_free()); 0 or -errno. */
static inline int ts_status(bool with_feeds, struct nq_status *st)
{
	struct nl_msg *msg = ts_status_msg(with_feeds);
	const char *why = NULL;
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = nq_parse_status(nlmsg_hdr(msg), st, &why);
	nlmsg_free(msg);
	return ret;
}

/* The hook of st named name, or NULL. */
static inline const struct nq_hook *ts_hook(const struct nq_status *st,
					    const char *name)
{
	size_t i;

	for (i = 0; i < st->n_hooks; i++)
		if (st->hooks[i].name && !strcmp(st->hooks[i].name, name))
			return &st->hooks[i];
	return NULL;
}

#endif /* NQSTAT_TESTS_TSTATUS_H */
