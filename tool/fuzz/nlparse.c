// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the netlink reply parser (nl/nlparse.c) and the model it
 * fills. The input is a stream of netlink messages, as a recvmsg() of the
 * tool would get them: each NLMSG_ERROR or NLMSG_DONE goes to
 * nq_parse_ack(), each other message with a generic netlink header to the
 * parser of its command (GET_STATUS, GET_LISTENERS, GET_NETNS; any other
 * command picks one by its value), and to nq_sockdiag_parse(). What was
 * parsed is checked against the input, read again here by a walker
 * independent of libnl: a number the message did not carry is NQ_UNKNOWN,
 * one it carried is the value of its last occurrence; addresses agree with
 * their families; arrays hold what their nests held; then the listeners are
 * sorted and indexed, the status is printed as text and as JSON, and the
 * JSON must parse.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "fuzz/fuzz.h"
#include "model/listeners.h"
#include "model/model.h"
#include "model/netns.h"
#include "nl/nlparse.h"
#include "nl/sockdiag.h"
#include "out/status.h"

/* An attribute sequence, walked without libnl. */
struct seq {
	const uint8_t *p;
	size_t rem;
};

struct attr {
	uint16_t type;		/* without NLA_F_NESTED, NLA_F_NET_BYTEORDER */
	const uint8_t *data;
	size_t len;
};

/* The next well-formed attribute of s; false at the end of the sequence. */
static bool next(struct seq *s, struct attr *a)
{
	struct nlattr h;
	size_t step;

	if (s->rem < sizeof(h))
		return false;
	memcpy(&h, s->p, sizeof(h));
	if (h.nla_len < sizeof(h) || h.nla_len > s->rem)
		return false;
	a->type = h.nla_type & NLA_TYPE_MASK;
	a->data = s->p + sizeof(h);
	a->len = h.nla_len - sizeof(h);
	step = NLA_ALIGN(h.nla_len);
	if (step > s->rem)
		step = s->rem;
	s->p += step;
	s->rem -= step;
	return true;
}

static struct seq nested(const struct attr *a)
{
	return (struct seq){ a->data, a->len };
}

/* The attributes of a generic netlink message (after its header). */
static struct seq top(const struct nlmsghdr *nlh)
{
	size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(GENL_HDRLEN);

	if (nlh->nlmsg_len < hdr)
		return (struct seq){ NULL, 0 };
	return (struct seq){ (const uint8_t *)nlh + hdr,
			     nlh->nlmsg_len - hdr };
}

/* The first attribute of type type of s (nla_find()'s choice). */
static bool find(struct seq s, uint16_t type, struct attr *out)
{
	struct attr a;

	while (next(&s, &a)) {
		if (a.type == type) {
			*out = a;
			return true;
		}
	}
	return false;
}

/* Counts the attributes of s (of type type, or any type if type is 0). */
static size_t count(struct seq s, uint16_t type)
{
	struct attr a;
	size_t n = 0;

	while (next(&s, &a))
		n += !type || a.type == type;
	return n;
}

/* A number of the wire: width 1, 2, 4, 8, or 12 for "u32 or u64". */
struct num {
	uint16_t type;
	uint8_t width;
	size_t off;		/* of the uint64_t in the record */
};

#define NUM(t, w, type_, field) { t, w, offsetof(type_, field) }
#define NS64(a, f) NUM(NQSTAT_A_NETNS_##a, 8, struct nq_netns, f)

static uint64_t value(const struct attr *a)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (a->len) {
	case 1:
		memcpy(&u8, a->data, 1);
		return u8;
	case 2:
		memcpy(&u16, a->data, 2);
		return u16;
	case 4:
		memcpy(&u32, a->data, 4);
		return u32;
	case 8:
		memcpy(&u64, a->data, 8);
		return u64;
	}
	CHECK(!"a number of a size the parser should have refused");
	return 0;
}

/* The last occurrence of number nm in the sequence s into *want. */
static void last_num(struct seq s, const struct num *nm, uint64_t *want)
{
	struct attr a;

	while (next(&s, &a)) {
		if (a.type != nm->type)
			continue;
		if (nm->width == 12)
			CHECK(a.len == 4 || a.len == 8);
		else
			CHECK(a.len == nm->width);
		*want = value(&a);
	}
}

/*
 * Each number of table in rec is the last occurrence of its attribute in
 * the nests of type nest_type of s (s itself if nest_type is 0), or
 * NQ_UNKNOWN if none. Only for a message the parser accepted: every
 * occurrence then has the right size.
 */
static void check_nums(struct seq s, uint16_t nest_type,
		       const struct num *table, size_t n, const void *rec)
{
	struct attr nest;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t want = NQ_UNKNOWN, got;
		struct seq o = s;

		if (!nest_type)
			last_num(s, &table[i], &want);
		else
			while (next(&o, &nest))
				if (nest.type == nest_type)
					last_num(nested(&nest), &table[i],
						 &want);
		memcpy(&got, (const char *)rec + table[i].off, sizeof(got));
		CHECK(got == want);
	}
}

/* The last NUL-terminated string of type type of s, or NULL. */
static const char *last_str(struct seq s, uint16_t type)
{
	const char *str = NULL;
	struct attr a;

	while (next(&s, &a)) {
		if (a.type != type)
			continue;
		CHECK(a.len && memchr(a.data, '\0', a.len));
		str = (const char *)a.data;
	}
	return str;
}

static void check_str(const char *got, const char *want)
{
	CHECK(!got == !want);
	CHECK(!got || !strcmp(got, want));
}

static const struct num status_nums[] = {
	NUM(NQSTAT_A_LISTENERS_TRACKED, 4, struct nq_status, listeners_tracked),
	NUM(NQSTAT_A_LISTENERS_MAX, 4, struct nq_status, listeners_max),
	NUM(NQSTAT_A_UNTRACKED_EVENTS, 8, struct nq_status, untracked_events),
	NUM(NQSTAT_A_GRACE_PERIOD, 4, struct nq_status, grace_period_s),
	NUM(NQSTAT_A_LISTENERS_ADOPTED, 4, struct nq_status, listeners_adopted),
	NUM(NQSTAT_A_LISTENERS_FOREIGN, 8, struct nq_status, listeners_foreign),
};

static const struct num hook_nums[] = {
	NUM(NQSTAT_A_HOOK_KIND, 1, struct nq_hook, kind),
	NUM(NQSTAT_A_HOOK_STATE, 1, struct nq_hook, state),
	NUM(NQSTAT_A_HOOK_ERRNO, 4, struct nq_hook, err),
	NUM(NQSTAT_A_HOOK_MISSED, 8, struct nq_hook, missed),
};

static void check_hook(struct seq s, const struct nq_hook *h)
{
	struct attr a, feeds;
	bool have_feeds = false;
	struct seq f;
	size_t k = 0;

	check_nums(s, 0, hook_nums, N(hook_nums), h);
	check_str(h->name, last_str(s, NQSTAT_A_HOOK_NAME));
	check_str(h->reason, last_str(s, NQSTAT_A_HOOK_REASON));
	/* The last NQSTAT_A_HOOK_FEEDS counts. */
	f = s;
	while (next(&f, &a)) {
		if (a.type == NQSTAT_A_HOOK_FEEDS) {
			feeds = a;
			have_feeds = true;
		}
	}
	if (!have_feeds) {
		CHECK(!h->feeds && !h->n_feeds);
		return;
	}
	CHECK(h->feeds);
	CHECK(h->n_feeds == count(nested(&feeds), NQSTAT_A_HOOK_FEED));
	f = nested(&feeds);
	while (next(&f, &a)) {
		if (a.type != NQSTAT_A_HOOK_FEED)
			continue;
		CHECK(k < h->n_feeds && h->feeds[k]);
		CHECK(!strcmp(h->feeds[k], (const char *)a.data));
		k++;
	}
}

static void render_status(const struct nq_status *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int pretty;

	for (pretty = 0; pretty < 2; pretty++) {
		f = open_memstream(&buf, &len);
		CHECK(f);
		CHECK(!nq_status_print_json(f, st, pretty));
		CHECK(!fclose(f));
		if (!json_valid(buf, len)) {
			fprintf(stderr, "invalid JSON:\n%.*s\n", (int)len, buf);
			CHECK(!"status JSON parses");
		}
		free(buf);
	}
	f = open_memstream(&buf, &len);
	CHECK(f);
	CHECK(!nq_status_print_text(f, st));
	CHECK(!fclose(f));
	CHECK(strlen(buf) == len);	/* no NUL of a string in the text */
	free(buf);
}

static void status(struct nlmsghdr *nlh)
{
	struct attr a, hooks;
	bool have_hooks = false;
	const char *why = NULL;
	struct nq_status st;
	struct seq s = top(nlh), h;
	size_t i = 0;

	if (nq_parse_status(nlh, &st, &why) < 0) {
		CHECK(why && *why);
		/* Nothing left to free, and the record is blank. */
		CHECK(!st.hooks && !st.n_hooks && !st.version);
		return;
	}
	check_nums(s, 0, status_nums, N(status_nums), &st);
	check_str(st.version, last_str(s, NQSTAT_A_VERSION));
	check_str(st.kernel_release, last_str(s, NQSTAT_A_KERNEL_RELEASE));
	h = s;
	while (next(&h, &a)) {
		if (a.type == NQSTAT_A_HOOKS) {
			hooks = a;
			have_hooks = true;
		}
	}
	CHECK(st.hooks_known == have_hooks);
	if (have_hooks) {
		/* The last NQSTAT_A_HOOKS counts: one hook per attribute. */
		CHECK(st.n_hooks == count(nested(&hooks), 0));
		h = nested(&hooks);
		while (next(&h, &a))
			check_hook(nested(&a), &st.hooks[i++]);
	} else {
		CHECK(!st.n_hooks);
	}
	render_status(&st);
	nq_status_free(&st);
}

static const struct num listener_nums[] = {
	NUM(NQSTAT_A_LISTENER_COOKIE, 8, struct nq_listener, cookie),
	NUM(NQSTAT_A_LISTENER_NETNS_INODE, 4, struct nq_listener, netns_inode),
	NUM(NQSTAT_A_LISTENER_NETNS_COOKIE, 8, struct nq_listener, netns_cookie),
	NUM(NQSTAT_A_LISTENER_FAMILY, 1, struct nq_listener, family),
	NUM(NQSTAT_A_LISTENER_PORT, 2, struct nq_listener, port),
	NUM(NQSTAT_A_LISTENER_IFINDEX, 4, struct nq_listener, ifindex),
	NUM(NQSTAT_A_LISTENER_STATE, 1, struct nq_listener, state),
	NUM(NQSTAT_A_LISTENER_BACKLOG, 4, struct nq_listener, backlog),
	NUM(NQSTAT_A_LISTENER_CLOSED_MSECS, 12, struct nq_listener, closed_ms),
	NUM(NQSTAT_A_LISTENER_BACKLOG_SOURCE, 1, struct nq_listener, backlog_source),
	NUM(NQSTAT_A_LISTENER_ACCEPTQ_LEN, 4, struct nq_listener, acceptq_len),
	NUM(NQSTAT_A_LISTENER_SYNQ_LEN, 4, struct nq_listener, synq_len),
	NUM(NQSTAT_A_LISTENER_ACCEPTQ_PEAK, 4, struct nq_listener, acceptq_peak),
	NUM(NQSTAT_A_LISTENER_SYNQ_PEAK, 4, struct nq_listener, synq_peak),
	NUM(NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET, 4, struct nq_listener,
	    acceptq_peak_reset),
	NUM(NQSTAT_A_LISTENER_SYNQ_PEAK_RESET, 4, struct nq_listener,
	    synq_peak_reset),
	NUM(NQSTAT_A_LISTENER_KERNEL_DROPS, 8, struct nq_listener, kernel_drops),
	NUM(NQSTAT_A_LISTENER_RESET_MSECS, 12, struct nq_listener, reset_ms),
};

/* Address and family of a listener or destination agree. */
static void check_addr(uint64_t family, uint8_t addr_len, const uint8_t *addr)
{
	size_t i;

	CHECK(!nq_known(family) || family == AF_INET || family == AF_INET6);
	CHECK(addr_len == 0 || addr_len == 4 || addr_len == 16);
	if (addr_len)
		CHECK(addr_len == (family == AF_INET ? 4 : 16));
	/* An IPv4 address leaves the rest of the buffer zero. */
	for (i = addr_len; i < 16; i++)
		CHECK(!addr[i]);
}

static void listener(struct nlmsghdr *nlh, struct nq_listeners *ls)
{
	struct nq_listener l;
	const char *why = NULL;
	struct attr nest, a;
	struct seq s;
	unsigned int c;
	uint8_t addr[16] = { 0 };
	size_t addr_len = 0;

	if (nq_parse_listener(nlh, &l, &why) < 0) {
		CHECK(why && *why);
		return;
	}
	CHECK(find(top(nlh), NQSTAT_A_LISTENER, &nest));
	check_nums(nested(&nest), 0, listener_nums, N(listener_nums), &l);
	for (c = 0; c <= NQSTAT_CTR_MAX; c++) {
		const struct num n = {
			(uint16_t)c, 8,
			offsetof(struct nq_listener, counters) +
				c * sizeof(uint64_t)
		};

		if (c <= NQSTAT_CTR_PAD)	/* UNSPEC, PAD: never set */
			CHECK(!nq_known(l.counters[c]));
		else
			check_nums(nested(&nest), NQSTAT_A_LISTENER_COUNTERS,
				   &n, 1, &l);
	}
	s = nested(&nest);
	while (next(&s, &a)) {
		if (a.type == NQSTAT_A_LISTENER_ADDR) {
			CHECK(a.len == 4 || a.len == 16);
			memset(addr, 0, sizeof(addr));
			memcpy(addr, a.data, a.len);
			addr_len = a.len;
		}
	}
	CHECK(l.addr_len == addr_len && !memcmp(l.addr, addr, sizeof(addr)));
	check_addr(l.family, l.addr_len, l.addr);
	CHECK(!nq_listeners_push(ls, &l));
}

/* The listeners of a dump: sorted, indexed, rates between neighbours. */
static void listeners(struct nq_listeners *ls)
{
	struct nq_index idx;
	struct nq_rates r;
	size_t i, c;

	nq_listeners_sort(ls);
	for (i = 0; i + 1 < ls->n; i++) {
		int ab = nq_listener_cmp(&ls->v[i], &ls->v[i + 1]);
		int ba = nq_listener_cmp(&ls->v[i + 1], &ls->v[i]);

		CHECK(ab <= 0);
		CHECK((ab > 0) - (ab < 0) == -((ba > 0) - (ba < 0)));
	}
	CHECK(!nq_index_build(&idx, ls));
	for (i = 0; i < ls->n; i++) {
		const struct nq_listener *f = nq_index_find(&idx, ls->v[i].cookie);

		CHECK(!nq_known(ls->v[i].cookie) ||
		      (f && f->cookie == ls->v[i].cookie));
		if (i) {
			nq_rates_compute(&ls->v[i - 1], &ls->v[i], 1000000000,
					 &r);
			for (c = 0; c <= NQSTAT_CTR_MAX; c++)
				CHECK(r.v[c] != r.v[c] || r.v[c] >= 0);
		}
	}
	nq_index_free(&idx);
}

static const struct num netns_nums[] = {
	NUM(NQSTAT_A_NETNS_INODE, 4, struct nq_netns, inode),
	NUM(NQSTAT_A_NETNS_COOKIE, 8, struct nq_netns, cookie),
	NUM(NQSTAT_A_NETNS_TW_COUNT, 4, struct nq_netns, tw_count),
	NUM(NQSTAT_A_NETNS_TW_PEAK, 4, struct nq_netns, tw_peak),
	NS64(TW_CREATED, tw_created), NS64(TW_OVERFLOWS, tw_overflows),
	NS64(CONNECT_PORT_EXHAUSTED, connect_port_exhausted),
	NS64(CONNECT_SYN_RETRANSMITS, connect_syn_retransmits),
	NS64(CONNECT_FAILED_RETRIED, connect_failed_retried),
	NS64(CONNECT_FAILED_RETRIED_MS, connect_failed_retried_ms),
	NS64(CONNECT_FAILED_UNRETRIED, connect_failed_unretried),
	NS64(CONNECT_CLOSED, connect_closed),
};

static const struct num sysctl_nums[] = {
	NUM(NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS, 4, struct nq_netns, max_tw_buckets),
	NUM(NQSTAT_A_SYSCTL_PORT_RANGE_LOW, 2, struct nq_netns, port_range_low),
	NUM(NQSTAT_A_SYSCTL_PORT_RANGE_HIGH, 2, struct nq_netns, port_range_high),
	NUM(NQSTAT_A_SYSCTL_TCP_TW_REUSE, 1, struct nq_netns, tw_reuse),
	NUM(NQSTAT_A_SYSCTL_TCP_TIMESTAMPS, 1, struct nq_netns, timestamps),
	NUM(NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT, 4, struct nq_netns, fin_timeout_s),
};

static const struct num ct_nums[] = {
	NUM(NQSTAT_A_CT_STATE, 1, struct nq_ct, state),
	NUM(NQSTAT_A_CT_COUNT, 4, struct nq_ct, count),
	NUM(NQSTAT_A_CT_PEAK, 4, struct nq_ct, peak),
	NUM(NQSTAT_A_CT_LIMIT, 4, struct nq_ct, max),
	NUM(NQSTAT_A_CT_BUCKETS, 4, struct nq_ct, buckets),
	NUM(NQSTAT_A_CT_TABLE_FULL_DROPS, 8, struct nq_ct, table_full_drops),
	NUM(NQSTAT_A_CT_EARLY_DROPS, 8, struct nq_ct, early_drops),
	NUM(NQSTAT_A_CT_INSERT_FAILED, 8, struct nq_ct, insert_failed),
	NUM(NQSTAT_A_CT_DROPS, 8, struct nq_ct, drops),
};

static void netns(struct nlmsghdr *nlh, struct nq_netns_list *list)
{
	const char *why = NULL;
	struct attr nest, a;
	struct nq_netns ns;
	struct seq s;
	size_t i, rows = 0;
	bool dests = false, truncated = false;

	if (nq_parse_netns(nlh, &ns, &why) < 0) {
		CHECK(why && *why);
		return;
	}
	CHECK(find(top(nlh), NQSTAT_A_NETNS, &nest));
	check_nums(nested(&nest), 0, netns_nums, N(netns_nums), &ns);
	check_nums(nested(&nest), NQSTAT_A_NETNS_SYSCTLS, sysctl_nums,
		   N(sysctl_nums), &ns);
	check_nums(nested(&nest), NQSTAT_A_NETNS_CT, ct_nums, N(ct_nums),
		   &ns.ct);
	/* The conntrack part always has its state. */
	CHECK(nq_known(ns.ct.state) || !nq_known(ns.ct.count));
	s = nested(&nest);
	while (next(&s, &a)) {
		if (a.type == NQSTAT_A_NETNS_TW_DESTS) {
			dests = true;
			/* The last non-empty list counts. */
			if (count(nested(&a), 0))
				rows = count(nested(&a), 0);
		}
		if (a.type == NQSTAT_A_NETNS_TW_DESTS_TRUNCATED)
			truncated = true;
	}
	CHECK(ns.dests_known == dests && ns.dests_truncated == truncated);
	CHECK(ns.n_dests == rows && (!rows || ns.dests));
	for (i = 0; i < ns.n_dests; i++) {
		const struct nq_tw_dest *d = &ns.dests[i];

		check_addr(d->family, d->addr_len, d->addr);
		CHECK(FITS(d->port, 2) && FITS(d->tw_count, 4));
	}
	nq_tw_dests_sort(&ns);
	for (i = 0; i + 1 < ns.n_dests; i++)
		CHECK(!nq_known(ns.dests[i + 1].tw_count) ||
		      !nq_known(ns.dests[i].tw_count) ||
		      ns.dests[i].tw_count >= ns.dests[i + 1].tw_count);
	if (nq_netns_list_push(list, &ns) < 0)
		nq_netns_free(&ns);
}

static void ack(struct nlmsghdr *nlh)
{
	const char *why = NULL;
	char *extack = NULL;
	int error = 1;

	if (nq_parse_ack(nlh, &error, &extack, &why) < 0) {
		CHECK(why && *why && !extack);
		return;
	}
	CHECK(error <= 0);
	/* The kernel's message: a copy, within the message. */
	CHECK(!extack || strlen(extack) < nlh->nlmsg_len);
	free(extack);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nq_listeners ls = { 0 };
	struct nq_netns_list nl = { 0 };
	struct nq_diag_sock dsk;
	struct nlmsghdr *nlh;
	size_t off, step;
	void *buf;

	if (size > 1 << 20)
		return 0;
	/* Aligned, as the socket buffer is; and exactly size bytes. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	/* As NLMSG_OK() and NLMSG_NEXT() walk a datagram. */
	for (off = 0; size - off >= NLMSG_HDRLEN; off += step) {
		struct genlmsghdr *g;

		nlh = (struct nlmsghdr *)((char *)buf + off);
		if (nlh->nlmsg_len < NLMSG_HDRLEN ||
		    nlh->nlmsg_len > size - off)
			break;
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step > size - off)
			step = size - off;
		g = NLMSG_DATA(nlh);

		/* What it accepts: a sock_diag reply of an inet family. */
		if (!nq_sockdiag_parse(nlh, size - off, &dsk))
			CHECK(nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
			      (dsk.family == AF_INET || dsk.family == AF_INET6));
		if (nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_DONE) {
			ack(nlh);
			continue;
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE ||
		    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
			continue;
		switch (g->cmd) {
		case NQSTAT_CMD_GET_STATUS:
			status(nlh);
			break;
		case NQSTAT_CMD_GET_LISTENERS:
			listener(nlh, &ls);
			break;
		case NQSTAT_CMD_GET_NETNS:
			netns(nlh, &nl);
			break;
		default:	/* any parser, for the attributes it knows */
			if (g->cmd % 3 == 0)
				status(nlh);
			else if (g->cmd % 3 == 1)
				listener(nlh, &ls);
			else
				netns(nlh, &nl);
		}
	}
	listeners(&ls);
	nq_listeners_free(&ls);
	nq_netns_list_free(&nl);
	free(buf);
	return 0;
}
