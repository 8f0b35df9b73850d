// SPDX-License-Identifier: GPL-2.0
/*
 * A generic netlink fuzzer for the nqstat family.
 *
 * Every command and dump gets random and mutated requests: commands in and
 * out of range, every flag combination, attribute types the command takes
 * and those it does not, wrong lengths, NLA_F_NESTED where nothing nests,
 * attribute lengths past the message, truncated netlink and genl headers,
 * trailing bytes, values out of range. Each request is sent in a datagram
 * of its own and followed by an NLMSG_NOOP barrier, so the reply (or the
 * lack of one) is known for every request. Requests come in four classes:
 *
 *   valid    built to be accepted: must succeed, or fail with EPERM where
 *            the sender lacks the privilege (and only then);
 *   invalid  one defect each: must fail, with no data record before the
 *            error (no partial success), or be dropped unanswered where
 *            netlink itself cannot parse the header;
 *   random   random bytes after a header;
 *   mutated  a valid request with random bytes changed.
 *
 * Whatever the class, a reply's records must be of the sender's own
 * namespace unless the sender may read all of them, and a RESET must never
 * succeed for a sender without CAP_NET_ADMIN over its namespace. Senders:
 * root; an unprivileged user (uid 65534); root of a user namespace created
 * by that user, in a network namespace of its own. Meanwhile listeners open
 * and close, and in the last test the module is unloaded and loaded again.
 * A listener whose counters are known (K connections accepted) sits in the
 * senders' namespace: no unprivileged sender may zero it.
 *
 * NQSTAT_FUZZ_MESSAGES: requests per run (default 100000: 45% as root, 25%
 * as each unprivileged sender, 5% while the module comes and goes, where
 * every unload stalls the whole genl bus for a while under emulation);
 * NQSTAT_FUZZ_SEED: the seed (default: from the clock; printed).
 * The totals, the commands and attribute types covered and the time are
 * printed at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

#define FZ_NOBODY 65534
#define FZ_MAX_ATTR (NQSTAT_A_MAX + 4)	/* types past the family's last */
#define FZ_NCMD 8			/* 0 .. NQSTAT_CMD_MAX + 3 */
#define FZ_KNOWN_ACCEPTS 3
/* Per test: a long run (NQSTAT_FUZZ_MESSAGES) takes longer under QEMU TCG. */
#define FZ_TIMEOUT 3600

enum fz_who { FZ_ROOT, FZ_UNPRIV, FZ_USERNS };
enum fz_class { FZ_VALID, FZ_INVALID, FZ_RANDOM, FZ_MUTATED, FZ_NCLASS };
enum fz_outcome { FZ_OK, FZ_ERROR, FZ_SILENT, FZ_NOUTCOME };

static const char *const class_name[FZ_NCLASS] = {
	"valid", "invalid", "random", "mutated"
};

/* Shared by the tests of one run (MAP_SHARED: each test is a child). */
struct fz_stats {
	uint64_t sent, by_class[FZ_NCLASS], by_cmd[FZ_NCMD + 1];
	uint64_t by_attr[FZ_MAX_ATTR + 2], outcome[FZ_NOUTCOME];
	uint64_t by_errno[136], records, violations;
	double seconds;
	char violation[512];
};

static struct fz_stats *stats;
static uint64_t seed;

struct fz {
	int fd;
	uint16_t family;
	uint32_t seq;
	uint64_t netns_cookie;
	uint64_t rng;
	enum fz_who who;
	bool churn;	/* the module comes and goes: no expectations */
};

struct fz_msg {
	char buf[4096];
	size_t len;			/* bytes sent */
	enum fz_class class;
	int expect;			/* valid: 0 or -EPERM */
	bool all_netns;			/* a well-formed ALL_NETNS flag */
	bool own_len;			/* a defect set nlmsg_len itself */
	uint8_t cmd;
};

struct fz_reply {
	enum fz_outcome outcome;
	int err;
	unsigned int records;
	bool record_after_error, foreign_record;
	bool barrier, dump_open;
};

static uint64_t fz_rand(struct fz *f)
{
	/* xorshift64* */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 2685821657736338717ULL;
}

static unsigned int fz_below(struct fz *f, unsigned int n)
{
	return fz_rand(f) % n;
}

static void fz_violation(struct fz *f, const struct fz_msg *m,
			 const char *what, int err)
{
	__sync_fetch_and_add(&stats->violations, 1);
	if (!stats->violation[0])
		snprintf(stats->violation, sizeof(stats->violation),
			 "sender %d, %s request, cmd %u, %zu bytes, err %d: %s",
			 f->who, class_name[m->class], m->cmd, m->len, err,
			 what);
}

static struct nlmsghdr *fz_hdr(struct fz_msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static struct nlattr *fz_put(struct fz_msg *m, uint16_t type,
			     const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	if (m->len + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(m->buf))
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(a->nla_len) - a->nla_len);
	m->len += NLA_ALIGN(a->nla_len);
	if (type <= FZ_MAX_ATTR)
		__sync_fetch_and_add(&stats->by_attr[type], 1);
	else
		__sync_fetch_and_add(&stats->by_attr[FZ_MAX_ATTR + 1], 1);
	return a;
}

static void fz_begin(struct fz *f, struct fz_msg *m, uint8_t cmd,
		     uint16_t flags)
{
	struct genlmsghdr *gh;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	fz_hdr(m)->nlmsg_type = f->family;
	fz_hdr(m)->nlmsg_flags = flags;
	gh = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	gh->cmd = cmd;
	gh->version = NQSTAT_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->cmd = cmd;
	m->all_netns = false;
	m->own_len = false;
}

static bool fz_is_dump(uint8_t cmd)
{
	return cmd == NQSTAT_CMD_GET_LISTENERS || cmd == NQSTAT_CMD_GET_NETNS;
}

/* The filters GET_LISTENERS and RESET take, each present or not. */
static void fz_put_filters(struct fz *f, struct fz_msg *m)
{
	uint8_t fam = fz_below(f, 2) ? AF_INET : AF_INET6;
	uint16_t port = 1 + fz_below(f, 65535);
	unsigned char addr[16];
	unsigned int i;

	for (i = 0; i < sizeof(addr); i++)
		addr[i] = fz_rand(f);
	if (fz_below(f, 2)) {
		fz_put(m, NQSTAT_A_FILTER_FAMILY, &fam, sizeof(fam));
		if (fz_below(f, 2))
			fz_put(m, NQSTAT_A_FILTER_ADDR, addr,
			       fam == AF_INET ? 4 : 16);
	}
	if (fz_below(f, 2))
		fz_put(m, NQSTAT_A_FILTER_PORT, &port, sizeof(port));
}

/* A request the family must accept from root. */
static void fz_valid(struct fz *f, struct fz_msg *m)
{
	static const uint8_t cmds[] = {
		NQSTAT_CMD_GET_STATUS, NQSTAT_CMD_GET_LISTENERS,
		NQSTAT_CMD_RESET, NQSTAT_CMD_GET_NETNS,
	};
	uint8_t cmd = cmds[fz_below(f, sizeof(cmds))];
	uint32_t top_n = 1 + fz_below(f, 100);

	fz_begin(f, m, cmd, NLM_F_REQUEST | NLM_F_ACK |
			    (fz_is_dump(cmd) ? NLM_F_DUMP : 0));
	m->expect = 0;
	if (fz_is_dump(cmd) && !fz_below(f, 4)) {
		fz_put(m, NQSTAT_A_ALL_NETNS, NULL, 0);
		m->all_netns = true;
		if (f->who != FZ_ROOT)
			m->expect = -EPERM;
	}
	if (cmd == NQSTAT_CMD_GET_LISTENERS || cmd == NQSTAT_CMD_RESET)
		fz_put_filters(f, m);
	if (cmd == NQSTAT_CMD_GET_NETNS && fz_below(f, 2))
		fz_put(m, NQSTAT_A_TOP_N, &top_n, sizeof(top_n));
	/* CAP_NET_ADMIN over the namespace: root, and root of its userns. */
	if (cmd == NQSTAT_CMD_RESET && f->who == FZ_UNPRIV)
		m->expect = -EPERM;
}

/* Attribute types the policy of @cmd accepts. */
static bool fz_allowed(uint8_t cmd, uint16_t type)
{
	switch (cmd) {
	case NQSTAT_CMD_GET_LISTENERS:
		return type == NQSTAT_A_ALL_NETNS ||
		       type == NQSTAT_A_FILTER_FAMILY ||
		       type == NQSTAT_A_FILTER_ADDR ||
		       type == NQSTAT_A_FILTER_PORT;
	case NQSTAT_CMD_RESET:
		return type == NQSTAT_A_FILTER_FAMILY ||
		       type == NQSTAT_A_FILTER_ADDR ||
		       type == NQSTAT_A_FILTER_PORT;
	case NQSTAT_CMD_GET_NETNS:
		return type == NQSTAT_A_ALL_NETNS || type == NQSTAT_A_TOP_N;
	}
	return false;
}

/* The size the policy requires of a fixed-size attribute (-1: none). */
static int fz_fixed_len(uint16_t type)
{
	switch (type) {
	case NQSTAT_A_ALL_NETNS:
		return 0;
	case NQSTAT_A_FILTER_FAMILY:
		return 1;
	case NQSTAT_A_FILTER_PORT:
		return 2;
	case NQSTAT_A_TOP_N:
		return 4;
	}
	return -1;
}

/*
 * A valid request with exactly one defect. Returns false when the defect
 * makes the message unparseable to netlink itself (it may go unanswered).
 */
static bool fz_invalid(struct fz *f, struct fz_msg *m)
{
	static const uint16_t fixed[] = {
		NQSTAT_A_ALL_NETNS, NQSTAT_A_FILTER_FAMILY,
		NQSTAT_A_FILTER_PORT, NQSTAT_A_TOP_N,
	};
	static const unsigned char junk[2048];
	struct nlattr *a;
	uint16_t type;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;
	int len;

	fz_valid(f, m);
	switch (fz_below(f, 13)) {
	case 0:	/* an attribute the command does not take */
		do
			type = fz_below(f, FZ_MAX_ATTR + 1);
		while (fz_allowed(m->cmd, type));
		fz_put(m, type, junk, fz_below(f, 9));
		return true;
	case 1:	/* a fixed-size attribute of the wrong size */
		if (m->cmd == NQSTAT_CMD_GET_STATUS)
			break;	/* it takes none */
		do
			type = fixed[fz_below(f, 4)];
		while (!fz_allowed(m->cmd, type));
		do
			len = fz_below(f, 9);
		while (len == fz_fixed_len(type));
		fz_put(m, type, junk, len);
		return true;
	case 2:	/* NLA_F_NESTED on an attribute that does not nest */
		v16 = 80;
		if (!fz_allowed(m->cmd, NQSTAT_A_FILTER_PORT))
			break;
		fz_put(m, NQSTAT_A_FILTER_PORT | NLA_F_NESTED, &v16, 2);
		return true;
	case 3:	/* an attribute running past the message */
		a = fz_put(m, NQSTAT_A_FILTER_PORT, junk, 2);
		a->nla_len = 64 + fz_below(f, 60000);
		return true;
	case 4:	/* an attribute shorter than its own header */
		a = fz_put(m, NQSTAT_A_FILTER_PORT, junk, 0);
		a->nla_len = fz_below(f, NLA_HDRLEN);
		return true;
	case 5:	/* 1 to 3 bytes after the last attribute */
		m->len += 1 + fz_below(f, 3);
		return true;
	case 6:	/* values out of range */
		if (m->cmd == NQSTAT_CMD_GET_NETNS) {
			v32 = fz_below(f, 2) ? 0 : 101 + fz_below(f, 1000);
			fz_put(m, NQSTAT_A_TOP_N, &v32, 4);
			return true;
		}
		if (m->cmd == NQSTAT_CMD_GET_STATUS)
			break;
		switch (fz_below(f, 3)) {
		case 0:
			do
				v8 = fz_rand(f);
			while (v8 == AF_INET || v8 == AF_INET6);
			fz_put(m, NQSTAT_A_FILTER_FAMILY, &v8, 1);
			return true;
		case 1:
			v16 = 0;
			fz_put(m, NQSTAT_A_FILTER_PORT, &v16, 2);
			return true;
		default:	/* an address without a family, or too long */
			fz_put(m, NQSTAT_A_FILTER_ADDR, junk,
			       17 + fz_below(f, 40));
			return true;
		}
	case 7:	/* a doit as a dump, a dump as a doit */
		fz_hdr(m)->nlmsg_flags ^= NLM_F_DUMP;
		return true;
	case 8:	/* a command the family does not have */
		m->cmd = fz_below(f, 2) ? NQSTAT_CMD_UNSPEC :
					  NQSTAT_CMD_MAX + 1 + fz_below(f, 200);
		((struct genlmsghdr *)(m->buf + NLMSG_HDRLEN))->cmd = m->cmd;
		return true;
	case 9:	/* a genl header cut short */
		m->len = NLMSG_HDRLEN + fz_below(f, GENL_HDRLEN);
		return true;
	case 10:	/* nlmsg_len past the datagram: netlink drops it */
		fz_hdr(m)->nlmsg_len = m->len + 4 + fz_below(f, 4096);
		m->own_len = true;
		return false;
	case 11:	/* nlmsg_len below the netlink header: dropped */
		fz_hdr(m)->nlmsg_len = fz_below(f, NLMSG_HDRLEN);
		m->own_len = true;
		return false;
	case 12:	/* a huge attribute */
		if (!fz_allowed(m->cmd, NQSTAT_A_FILTER_ADDR))
			break;
		fz_put(m, NQSTAT_A_FILTER_ADDR, junk, sizeof(junk));
		return true;
	}
	/* The defect chosen did not apply to this command: an unknown type. */
	fz_put(m, FZ_MAX_ATTR, junk, 4);
	return true;
}

static void fz_random(struct fz *f, struct fz_msg *m)
{
	size_t i, n = fz_below(f, 3) ? fz_below(f, 64) : fz_below(f, 2048);
	static const uint16_t flags[] = {
		NLM_F_REQUEST, NLM_F_REQUEST | NLM_F_ACK,
		NLM_F_REQUEST | NLM_F_DUMP, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
	};

	fz_begin(f, m, fz_below(f, 3) ? 1 + fz_below(f, NQSTAT_CMD_MAX) :
					fz_rand(f),
		 fz_below(f, 8) ? flags[fz_below(f, 4)] : fz_rand(f));
	for (i = 0; i < n; i++)
		m->buf[m->len + i] = fz_rand(f);
	m->len += n;
	/* Random attribute headers, often: lengths and types that nearly fit. */
	for (i = NLMSG_HDRLEN + GENL_HDRLEN; i + 4 <= m->len && fz_below(f, 2);
	     i += 4 * (1 + fz_below(f, 4))) {
		struct nlattr *a = (struct nlattr *)(m->buf + i);

		a->nla_len = fz_below(f, 2) ? 4 + 4 * fz_below(f, 4) :
					      fz_rand(f);
		a->nla_type = fz_below(f, FZ_MAX_ATTR + 1) |
			      (fz_below(f, 8) ? 0 : fz_rand(f) & 0xc000);
	}
}

static void fz_mutate(struct fz *f, struct fz_msg *m)
{
	unsigned int i, n = 1 + fz_below(f, 4);

	fz_valid(f, m);
	/* Not the netlink header: netlink would drop the message unseen. */
	for (i = 0; i < n; i++)
		m->buf[NLMSG_HDRLEN + fz_below(f, m->len - NLMSG_HDRLEN)] ^=
			1 << fz_below(f, 8);
	m->cmd = ((struct genlmsghdr *)(m->buf + NLMSG_HDRLEN))->cmd;
}

static uint64_t fz_record_netns(const struct nlmsghdr *nh)
{
	const struct nlattr *a, *b;
	int len = (int)nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), blen;
	uint16_t want;

	if (nh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return 1;	/* not a record of this family: foreign */
	for (a = (const void *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
	     len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == NQSTAT_A_LISTENER)
			want = NQSTAT_A_LISTENER_NETNS_COOKIE;
		else if ((a->nla_type & NLA_TYPE_MASK) == NQSTAT_A_NETNS)
			want = NQSTAT_A_NETNS_COOKIE;
		else
			continue;
		blen = a->nla_len - NLA_HDRLEN;
		for (b = (const void *)((char *)a + NLA_HDRLEN);
		     blen >= NLA_HDRLEN && b->nla_len >= NLA_HDRLEN &&
		     b->nla_len <= blen;
		     blen -= NLA_ALIGN(b->nla_len),
		     b = (const void *)((char *)b + NLA_ALIGN(b->nla_len))) {
			uint64_t v;

			if ((b->nla_type & NLA_TYPE_MASK) != want ||
			    b->nla_len != NLA_HDRLEN + 8)
				continue;
			memcpy(&v, (char *)b + NLA_HDRLEN, 8);
			return v;
		}
		return 1;	/* a record without its namespace: foreign */
	}
	return 0;
}

/*
 * Replies to @seq up to the barrier @barrier. A dump's first part is queued
 * before the barrier's ack, its further parts only as we read: a dump that
 * has begun is read to its NLMSG_DONE.
 */
static int fz_replies(struct fz *f, uint32_t seq, uint32_t barrier,
		      struct fz_reply *r)
{
	static char buf[1 << 17];

	memset(r, 0, sizeof(*r));
	r->outcome = FZ_SILENT;
	while (!r->barrier || r->dump_open) {
		ssize_t n = recv(f->fd, buf, sizeof(buf), MSG_TRUNC);
		struct nlmsghdr *nh;

		if (n < 0)
			return -errno;
		if (n > (ssize_t)sizeof(buf))
			return -EMSGSIZE;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n);
		     nh = NLMSG_NEXT(nh, n)) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);
			uint64_t ns;

			if (nh->nlmsg_seq == barrier &&
			    nh->nlmsg_type == NLMSG_ERROR) {
				r->barrier = true;
				continue;
			}
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR ||
			    nh->nlmsg_type == NLMSG_DONE) {
				int err = nh->nlmsg_type == NLMSG_ERROR ?
					  e->error : *(int *)NLMSG_DATA(nh);

				/* An ack after a dump's DONE changes nothing. */
				if (nh->nlmsg_type == NLMSG_DONE)
					r->dump_open = false;
				if (r->outcome == FZ_ERROR)
					continue;
				r->err = err;
				r->outcome = err ? FZ_ERROR : FZ_OK;
				continue;
			}
			if (r->outcome == FZ_ERROR)
				r->record_after_error = true;
			else if (nh->nlmsg_flags & NLM_F_MULTI)
				r->dump_open = true;
			r->records++;
			ns = fz_record_netns(nh);
			if (ns && ns != f->netns_cookie)
				r->foreign_record = true;
		}
	}
	return 0;
}

static int fz_send(struct fz *f, struct fz_msg *m, struct fz_reply *r)
{
	struct nlmsghdr noop = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	};
	struct nlmsghdr *nh = fz_hdr(m);
	uint32_t seq = ++f->seq;
	int err;

	/* Defects that set nlmsg_len themselves keep theirs. */
	if (!m->own_len)
		nh->nlmsg_len = m->len;
	nh->nlmsg_seq = seq;
	noop.nlmsg_seq = ++f->seq;
	if (send(f->fd, m->buf, m->len, 0) < 0)
		return -errno;
	if (send(f->fd, &noop, sizeof(noop), 0) < 0)
		return -errno;
	err = fz_replies(f, seq, noop.nlmsg_seq, r);
	__sync_fetch_and_add(&stats->sent, 1);
	__sync_fetch_and_add(&stats->by_class[m->class], 1);
	__sync_fetch_and_add(&stats->by_cmd[m->cmd < FZ_NCMD ? m->cmd : FZ_NCMD],
			     1);
	__sync_fetch_and_add(&stats->outcome[r->outcome], 1);
	__sync_fetch_and_add(&stats->records, r->records);
	if (r->outcome == FZ_ERROR && r->err < 0 && -r->err < 135)
		__sync_fetch_and_add(&stats->by_errno[-r->err], 1);
	return err;
}

/* The family's id now (it changes when the module is loaded again). */
static int fz_resolve(struct fz *f)
{
	struct nq_nl nl;
	int err = nq_nl_open(&nl);

	if (err)
		return err;
	f->family = nl.family;
	nq_nl_close(&nl);
	return 0;
}

static void fz_check(struct fz *f, const struct fz_msg *m, bool parseable,
		     const struct fz_reply *r)
{
	const struct nlmsghdr *nh = (const struct nlmsghdr *)m->buf;
	bool reset = m->cmd == NQSTAT_CMD_RESET &&
		     (nh->nlmsg_flags & NLM_F_REQUEST);

	/*
	 * Root may read every namespace: a random or mutated request can be
	 * a well-formed ALL_NETNS too, so only root's valid requests without
	 * the flag are held to its own namespace.
	 */
	if (r->foreign_record &&
	    (f->who != FZ_ROOT || (m->class == FZ_VALID && !m->all_netns)))
		fz_violation(f, m, "a record of another namespace", r->err);
	if (reset && r->outcome == FZ_OK && f->who == FZ_UNPRIV)
		fz_violation(f, m, "RESET succeeded without CAP_NET_ADMIN",
			     r->err);
	if (r->record_after_error)
		fz_violation(f, m, "records after the error", r->err);
	if (f->churn)
		return;
	if (m->class == FZ_VALID &&
	    (r->outcome == FZ_SILENT || r->err != m->expect))
		fz_violation(f, m, "a valid request did not get its answer",
			     r->err);
	if (m->class == FZ_INVALID) {
		if (r->outcome == FZ_OK)
			fz_violation(f, m, "an invalid request succeeded",
				     r->err);
		if (r->records)
			fz_violation(f, m, "an invalid request got records",
				     r->err);
		if (parseable && r->outcome == FZ_SILENT)
			fz_violation(f, m, "an invalid request went unanswered",
				     r->err);
	}
}

/* Sends @n requests as @who; returns 0 or a negative errno. */
static int fz_run(enum fz_who who, bool churn, uint64_t n, uint64_t salt)
{
	struct fz f = { .who = who, .churn = churn };
	struct timeval tmo = { .tv_sec = 30 };
	int one = 1, err = 0;
	uint64_t i;

	f.rng = (seed ^ (salt * 0x9e3779b97f4a7c15ULL)) | 1;
	f.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (f.fd < 0)
		return -errno;
	setsockopt(f.fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* A reply that never comes is a failure, not a hang. */
	setsockopt(f.fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
	f.netns_cookie = nq_netns_cookie(f.fd);
	err = fz_resolve(&f);
	/* The module may be away right now: the loop resolves it again. */
	if (churn)
		err = 0;
	for (i = 0; !err && i < n; i++) {
		struct fz_msg m;
		struct fz_reply r;
		bool parseable = true;

		if (churn && !(i % 32) && fz_resolve(&f))
			f.family = GENL_ID_CTRL + 1 + fz_below(&f, 64);
		m.class = fz_below(&f, FZ_NCLASS);
		switch (m.class) {
		case FZ_VALID:
			fz_valid(&f, &m);
			break;
		case FZ_INVALID:
			parseable = fz_invalid(&f, &m);
			break;
		case FZ_RANDOM:
			fz_random(&f, &m);
			break;
		default:
			fz_mutate(&f, &m);
			break;
		}
		err = fz_send(&f, &m, &r);
		if (err)
			fz_violation(&f, &m, "no answer to the barrier", err);
		else
			fz_check(&f, &m, parseable, &r);
		if (!((i + 1) % 5000))
			fprintf(stderr, "# sender %d: %llu of %llu requests\n",
				who, (unsigned long long)i + 1,
				(unsigned long long)n);
	}
	close(f.fd);
	return err;
}

/* Listeners that open, take a connection, and close, until killed. */
static pid_t churn_listeners(void)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	for (;;) {
		uint16_t port = 0;
		int l = nq_listen(AF_INET6, "::", 4, &port), c;

		if (l < 0)
			_exit(1);
		c = nq_connect(AF_INET, "127.0.0.1", port);
		if (c >= 0)
			close(c);
		close(l);
		usleep(1000);
	}
}

/* Unload and load the module until killed. */
static pid_t churn_module(const char *ko)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	for (;;) {
		nq_module_unload("nqstat");
		usleep(20000);
		nq_module_load(ko);
		usleep(200000);
	}
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A listener that accepted FZ_KNOWN_ACCEPTS connections: returns it. */
static int known_listener(uint64_t *cookie)
{
	uint16_t port = 0;
	int l = nq_listen(AF_INET, "127.0.0.1", 16, &port), i;

	if (l < 0)
		return l;
	for (i = 0; i < FZ_KNOWN_ACCEPTS; i++) {
		int c = nq_connect(AF_INET, "127.0.0.1", port), a;

		if (c < 0)
			return c;
		a = accept(l, NULL, NULL);
		if (a < 0)
			return -errno;
		close(a);
		close(c);
	}
	*cookie = nq_sock_cookie(l);
	return l;
}

static void known_listener_unchanged(struct __test_metadata *_metadata,
				     uint64_t cookie)
{
	struct nq_row row;

	ASSERT_EQ(0, nq_lookup(cookie, &row));
	EXPECT_EQ(FZ_KNOWN_ACCEPTS, row.ctr[NQSTAT_CTR_ACCEPTED]);
	EXPECT_EQ(FZ_KNOWN_ACCEPTS, row.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	EXPECT_FALSE(row.has_reset_ms);
}

static uint64_t share(unsigned int percent)
{
	const char *s = getenv("NQSTAT_FUZZ_MESSAGES");
	uint64_t total = s ? strtoull(s, NULL, 10) : 100000;

	return (total * percent + 99) / 100;
}

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(FZ_NOBODY, FZ_NOBODY, FZ_NOBODY) ||
	    setresuid(FZ_NOBODY, FZ_NOBODY, FZ_NOBODY))
		return -errno;
	/* A uid change makes /proc/self/ root's: uid_map needs it ours. */
	if (prctl(PR_SET_DUMPABLE, 1))
		return -errno;
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		err = -errno;
	close(fd);
	return err;
}

/* Root of a user namespace that uid 65534 created, in its own netns. */
static int become_userns_root(void)
{
	int err = drop_privileges();

	if (err)
		return err;
	if (unshare(CLONE_NEWUSER))
		return -errno;
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", "0 65534 1") ||
	    write_file("/proc/self/gid_map", "0 65534 1"))
		return -EPERM;
	return nq_netns_new();
}

/* Runs fz_run() as @who in a child; its exit status is the result. */
static int fz_as(enum fz_who who, uint64_t n, uint64_t salt)
{
	pid_t pid = fork();
	int status, err = 0;

	if (pid < 0)
		return -errno;
	if (!pid) {
		if (who == FZ_UNPRIV)
			err = drop_privileges();
		else if (who == FZ_USERNS)
			err = become_userns_root();
		if (!err)
			err = fz_run(who, false, n, salt);
		_exit(err ? (-err & 0x7f) : 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

static void fz_report(struct __test_metadata *_metadata, const char *what,
		      uint64_t before, uint64_t violations, struct timespec *t0)
{
	struct timespec t1;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
	stats->seconds += s;
	TH_LOG("%s: %llu requests in %.1f s", what,
	       (unsigned long long)(stats->sent - before), s);
	/* This test's own: the counts are the run's. */
	if (stats->violations != violations)
		TH_LOG("first violation: %s", stats->violation);
	EXPECT_EQ(violations, stats->violations);
}

FIXTURE(fuzz) {
	pid_t listeners;
	uint64_t before, violations;
	struct timespec t0;
};

FIXTURE_SETUP(fuzz)
{
	ASSERT_TRUE(nq_module_loaded());
	ASSERT_EQ(0, nq_netns_new());
	self->listeners = churn_listeners();
	ASSERT_LT(0, self->listeners);
	self->before = stats->sent;
	self->violations = stats->violations;
	stats->violation[0] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &self->t0);
}

FIXTURE_TEARDOWN(fuzz)
{
	stop(self->listeners);
}

TEST_F_TIMEOUT(fuzz, as_root, FZ_TIMEOUT)
{
	ASSERT_EQ(0, fz_run(FZ_ROOT, false, share(45), 1));
	fz_report(_metadata, "root", self->before, self->violations,
		  &self->t0);
}

TEST_F_TIMEOUT(fuzz, as_unprivileged_user, FZ_TIMEOUT)
{
	uint64_t cookie;
	int l = known_listener(&cookie);

	ASSERT_LE(0, l);
	ASSERT_EQ(0, fz_as(FZ_UNPRIV, share(25), 2));
	fz_report(_metadata, "uid 65534", self->before, self->violations,
		  &self->t0);
	known_listener_unchanged(_metadata, cookie);
	close(l);
}

TEST_F_TIMEOUT(fuzz, as_root_of_a_user_namespace, FZ_TIMEOUT)
{
	uint64_t cookie;
	int l = known_listener(&cookie);

	ASSERT_LE(0, l);
	ASSERT_EQ(0, fz_as(FZ_USERNS, share(25), 3));
	fz_report(_metadata, "root of a user namespace", self->before,
		  self->violations, &self->t0);
	known_listener_unchanged(_metadata, cookie);
	close(l);
}

TEST_F_TIMEOUT(fuzz, while_the_module_comes_and_goes, FZ_TIMEOUT)
{
	const char *ko = getenv("NQSTAT_KO");
	pid_t loader;

	if (!ko)
		SKIP(return, "NQSTAT_KO not set");
	loader = churn_module(ko);
	ASSERT_LT(0, loader);
	EXPECT_EQ(0, fz_run(FZ_ROOT, true, share(5), 4));
	stop(loader);
	if (!nq_module_loaded())
		ASSERT_EQ(0, nq_module_load(ko));
	fz_report(_metadata, "root, module reloaded", self->before,
		  self->violations, &self->t0);
	/* The family still answers. */
	{
		struct nq_nl nl;
		struct nq_status st;

		ASSERT_EQ(0, nq_nl_open(&nl));
		EXPECT_EQ(0, nq_get_status(&nl, &st));
		nq_nl_close(&nl);
	}
}

/* The run's totals and what it covered (the harness runs it last). */
TEST_F(fuzz, totals)
{
	char line[1024];
	size_t off = 0;
	unsigned int i, covered = 0;

	TH_LOG("seed %llu: %llu requests in %.1f s (%.0f/s); violations %llu",
	       (unsigned long long)seed, (unsigned long long)stats->sent,
	       stats->seconds, stats->seconds ? stats->sent / stats->seconds : 0,
	       (unsigned long long)stats->violations);
	for (i = 0; i < FZ_NCLASS; i++)
		off += snprintf(line + off, sizeof(line) - off, " %s %llu",
				class_name[i],
				(unsigned long long)stats->by_class[i]);
	TH_LOG("classes:%s", line);
	off = 0;
	for (i = 0; i <= FZ_NCMD; i++)
		off += snprintf(line + off, sizeof(line) - off, " %s%u=%llu",
				i == FZ_NCMD ? ">=" : "", i,
				(unsigned long long)stats->by_cmd[i]);
	TH_LOG("commands (0 unspec, 1 status, 2 listeners, 3 reset, 4 netns):%s",
	       line);
	off = 0;
	for (i = 0; i <= FZ_MAX_ATTR + 1; i++) {
		covered += stats->by_attr[i] != 0;
		off += snprintf(line + off, sizeof(line) - off, " %s%u=%llu",
				i == FZ_MAX_ATTR + 1 ? ">" : "",
				i == FZ_MAX_ATTR + 1 ? FZ_MAX_ATTR : i,
				(unsigned long long)stats->by_attr[i]);
	}
	TH_LOG("attribute types (built, random ones aside):%s", line);
	TH_LOG("outcomes: ok %llu, error %llu, unanswered %llu; records %llu",
	       (unsigned long long)stats->outcome[FZ_OK],
	       (unsigned long long)stats->outcome[FZ_ERROR],
	       (unsigned long long)stats->outcome[FZ_SILENT],
	       (unsigned long long)stats->records);
	off = 0;
	for (i = 1; i < 136; i++)
		if (stats->by_errno[i])
			off += snprintf(line + off, sizeof(line) - off,
					" %s=%llu", strerrorname_np(i) ?: "?",
					(unsigned long long)stats->by_errno[i]);
	TH_LOG("errors:%s", line);
	EXPECT_EQ(0, stats->violations);
	EXPECT_GE(stats->sent, share(getenv("NQSTAT_KO") ? 100 : 80));
	if (stats->sent < 10000)
		return;
	/* Every command, and every attribute type up to past the last. */
	for (i = 0; i <= NQSTAT_CMD_MAX + 1; i++)
		EXPECT_NE(0, stats->by_cmd[i]);
	EXPECT_EQ(FZ_MAX_ATTR + 2, covered);
}

static void __attribute__((constructor)) fz_init(void)
{
	const char *s = getenv("NQSTAT_FUZZ_SEED");
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	seed = s ? strtoull(s, NULL, 0) : (uint64_t)t.tv_nsec ^ t.tv_sec;
	stats = mmap(NULL, sizeof(*stats), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stats == MAP_FAILED)
		abort();
	memset(stats, 0, sizeof(*stats));
	printf("# NQSTAT_FUZZ_SEED=%llu\n", (unsigned long long)seed);
}

TEST_HARNESS_MAIN
