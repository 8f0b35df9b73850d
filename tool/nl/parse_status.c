// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of a GET_STATUS reply: the module's figures and its hooks, with
 * what each hook feeds (NQSTAT_A_HOOK_FEEDS).
 */
#include <errno.h>
#include <stdlib.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl/attr.h"
#include "nl/nlparse.h"

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

/*
 * NQSTAT_A_HOOK_FEEDS: one NQSTAT_A_HOOK_FEED string per field fed.  Of a
 * repeated list the last counts, as nla_parse() keeps the last attribute.
 */
static int parse_feeds(struct nlattr *nest, struct nq_hook *h)
{
	struct nlattr *a;
	size_t n = 0;
	int rem, ret;

	nla_for_each_nested(a, nest, rem)
		n += nla_type(a) == NQSTAT_A_HOOK_FEED;
	if (rem > 0)
		return -EBADMSG;
	free_feeds(h);
	h->feeds = calloc(n ? n : 1, sizeof(*h->feeds));
	if (!h->feeds)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != NQSTAT_A_HOOK_FEED)
			continue;
		ret = nq_get_str(a, &h->feeds[h->n_feeds]);
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
		ret = nq_set_num(a, hook_attrs, NQSTAT_A_HOOK_MAX, h);
		if (ret == 1) {
			switch (nla_type(a)) {
			case NQSTAT_A_HOOK_NAME:
				ret = nq_get_str(a, &h->name);
				break;
			case NQSTAT_A_HOOK_REASON:
				ret = nq_get_str(a, &h->reason);
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
			return nq_bad(why, "hook attribute of the wrong size or not a string");
	}
	if (rem > 0)
		return nq_bad(why, "malformed hook attributes");
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
		return nq_bad(why, "malformed hooks");
	/* A repeated list: the last counts. */
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
		return nq_bad(why, "malformed status message");
	nla_for_each_attr(a, genlmsg_attrdata(NLMSG_DATA(nlh), 0),
			  genlmsg_attrlen(NLMSG_DATA(nlh), 0), rem) {
		ret = nq_set_num(a, status_attrs, NQSTAT_A_MAX, st);
		if (ret == 1) {
			switch (nla_type(a)) {
			case NQSTAT_A_VERSION:
				ret = nq_get_str(a, &st->version);
				break;
			case NQSTAT_A_KERNEL_RELEASE:
				ret = nq_get_str(a, &st->kernel_release);
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
			return nq_bad(why, "status attribute of the wrong size or not a string");
		}
	}
	if (rem > 0) {
		nq_status_free(st);
		return nq_bad(why, "malformed status message");
	}
	return 0;
}
