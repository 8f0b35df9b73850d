// SPDX-License-Identifier: GPL-2.0
/*
 * Listeners the module did not see start listening: those that were
 * listening before it was loaded ("adopted"), also across an unload and a
 * reload; dual-stack listeners, whose IPv4 clients must be counted once;
 * and listeners whose function table is not the kernel's TCP one (MPTCP
 * subflow listeners: "foreign", reported in status and never listed).
 *
 * Every test runs in network namespaces of its own and compares, by
 * equality, the counters of its listeners summed per namespace with the
 * MIB deltas of that namespace since the module was loaded:
 *
 *   handshakes_completed                          TcpPassiveOpens
 *   accept_queue_overflows + accept_queue_drops_syn  TcpExtListenOverflows
 *   syn_queue_drops                               TcpExtTCPReqQFullDrop
 *   syn_cookies_sent                              TcpExtTCPReqQFullDoCookies
 *   the five drop counters                        TcpExtListenDrops
 *
 * and accepted with the accept() calls of the test that succeeded.
 * Loopback clients that are never accepted overflow accept queues (their
 * SYNs are retransmitted, so the counts are read when the MIB counters stay
 * still across a dump); a TCP peer behind a TUN device (nq_peer) decides
 * exactly which handshakes complete and when, for the counts that are
 * known in advance.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "nq_peer.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/* The namespace counters the listener counters are compared with. */
enum {
	M_PASSIVE_OPENS,
	M_LISTEN_OVERFLOWS,
	M_LISTEN_DROPS,
	M_REQQ_FULL_DROP,
	M_REQQ_FULL_COOKIES,
	M_EMBRYONIC_RSTS,
	M_N
};

static const struct {
	const char *proto, *name;	/* for nq_mib() */
	const char *sum;		/* the listener counters it sums, or NULL */
} mibs[M_N] = {
	[M_PASSIVE_OPENS] = { "Tcp", "PassiveOpens", "handshakes_completed" },
	[M_LISTEN_OVERFLOWS] = { "TcpExt", "ListenOverflows",
		"accept_queue_overflows + accept_queue_drops_syn" },
	[M_LISTEN_DROPS] = { "TcpExt", "ListenDrops",
		"syn_queue_drops + syn_backlog_drops + accept_queue_drops_syn"
		" + accept_queue_overflows + other_drops" },
	[M_REQQ_FULL_DROP] = { "TcpExt", "TCPReqQFullDrop", "syn_queue_drops" },
	[M_REQQ_FULL_COOKIES] = { "TcpExt", "TCPReqQFullDoCookies",
		"syn_cookies_sent" },
	/* Only the dual-stack test compares it, with the resets. */
	[M_EMBRYONIC_RSTS] = { "TcpExt", "EmbryonicRsts", NULL },
};

static const char *const ctr_names[NQSTAT_CTR_MAX + 1] = {
	[NQSTAT_CTR_HANDSHAKES_COMPLETED] = "handshakes_completed",
	[NQSTAT_CTR_ACCEPTED] = "accepted",
	[NQSTAT_CTR_SYN_QUEUE_DROPS] = "syn_queue_drops",
	[NQSTAT_CTR_SYN_COOKIES_SENT] = "syn_cookies_sent",
	[NQSTAT_CTR_SYN_BACKLOG_DROPS] = "syn_backlog_drops",
	[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = "accept_queue_drops_syn",
	[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = "accept_queue_overflows",
	[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = "accept_queue_overflow_resets",
	[NQSTAT_CTR_OTHER_DROPS] = "other_drops",
	[NQSTAT_CTR_SYNACK_RETRANSMITS] = "synack_retransmits",
};

static const char *ctr_name(int c)
{
	return c >= 0 && c <= NQSTAT_CTR_MAX && ctr_names[c] ? ctr_names[c] :
								"?";
}

struct mib {
	uint64_t v[M_N];
};

/* The listeners of the adoption tests, by role. */
enum {
	L_V4,		/* ns 0: 10.9.0.1, the IPv4 TUN peer's */
	L_V6,		/* ns 0: fd00:9::1, V6ONLY, the IPv6 TUN peer's */
	L_DUAL,		/* ns 0: [::], V6ONLY off, loopback clients */
	L_RP0,		/* ns 0: 127.0.0.1, an SO_REUSEPORT group of 3 */
	L_RP1,
	L_RP2,
	L_DEV,		/* ns 0: 0.0.0.0, SO_BINDTODEVICE lo */
	L_B4,		/* ns 1: 10.9.0.1, syncookies on, its TUN peer's */
	L_B6,		/* ns 1: ::1 */
	L_N
};

#define NS_MAX 2
#define CLIENTS_MAX 256
#define PORT_BASE 40000	/* TUN peer ports: PORT_BASE .. PORT_BASE + 999 */

struct ln {
	const char *name;
	int ns;			/* index in world.nsfd */
	int fd;
	int family;
	uint16_t port;
	uint64_t cookie;
	uint32_t ifindex;	/* SO_BINDTODEVICE, else 0 */
	uint32_t backlog;	/* as the kernel caps it */
	int accepted;		/* accept() calls that succeeded since the load */
	/* Counts known in advance, -1 where not; queue lengths at the load. */
	int64_t want[NQSTAT_CTR_MAX + 1];
	int64_t want_acceptq, want_synq;
};

struct world {
	int nns, nln;
	int nsfd[NS_MAX];
	struct mib base[NS_MAX];	/* at the load */
	struct ln ln[L_N];
	struct nq_peer p4, p6;		/* ns 0 */
	struct nq_peer pb4;		/* ns 1 */
	uint32_t isn[1000];		/* SYN-ACK sequence, by peer port */
	int clients[CLIENTS_MAX];
	int nclients;
	int dual_clients[2];		/* L_DUAL's clients from before the load */
};

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->p4.fd = w->p6.fd = w->pb4.fd = -1;
}

static void world_free(struct world *w)
{
	int i;

	for (i = 0; i < w->nclients; i++)
		close(w->clients[i]);
	for (i = 0; i < w->nln; i++)
		if (w->ln[i].fd > 0)
			close(w->ln[i].fd);
	for (i = 0; i < w->nns; i++)
		close(w->nsfd[i]);
	nq_peer_close(&w->p4);
	nq_peer_close(&w->p6);
	nq_peer_close(&w->pb4);
	w->nclients = w->nln = w->nns = 0;
}

/* A fresh network namespace, entered, with loopback up. */
static int ns_add(struct world *w)
{
	int err = nq_netns_new(), fd;

	if (err)
		return err;
	fd = nq_netns_fd();
	if (fd < 0)
		return fd;
	w->nsfd[w->nns++] = fd;
	return 0;
}

static int ns_enter(struct world *w, int ns)
{
	return nq_netns_enter(w->nsfd[ns]);
}

static int sysctl_net(const char *name, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/%s", name);
	return nq_sysctl_write(path, value);
}

static void mib_read(struct mib *m)
{
	int i;

	for (i = 0; i < M_N; i++)
		m->v[i] = nq_mib(mibs[i].proto, mibs[i].name);
}

/* The MIB counters of every namespace of @w. */
static int mib_read_all(struct world *w, struct mib *m)
{
	int i, err;

	for (i = 0; i < w->nns; i++) {
		err = ns_enter(w, i);
		if (err)
			return err;
		mib_read(&m[i]);
	}
	return 0;
}

/* Counting starts here: the module was just loaded. */
static int baseline(struct world *w)
{
	int i;

	for (i = 0; i < w->nln; i++)
		w->ln[i].accepted = 0;
	return mib_read_all(w, w->base);
}

/* What the listener counters add up to for MIB counter @m. */
static uint64_t row_part(const struct nq_row *r, int m)
{
	const uint64_t *c = r->ctr;

	switch (m) {
	case M_PASSIVE_OPENS:
		return c[NQSTAT_CTR_HANDSHAKES_COMPLETED];
	case M_LISTEN_OVERFLOWS:
		return c[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] +
		       c[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN];
	case M_LISTEN_DROPS:
		return nq_drops_sum(c);
	case M_REQQ_FULL_DROP:
		return c[NQSTAT_CTR_SYN_QUEUE_DROPS];
	case M_REQQ_FULL_COOKIES:
		return c[NQSTAT_CTR_SYN_COOKIES_SENT];
	}
	return 0;
}

/* Every counter but accepted and synack_retransmits is known: @v. */
static void want_all(struct ln *l, int64_t v)
{
	int c;

	for (c = NQSTAT_CTR_HANDSHAKES_COMPLETED; c < NQSTAT_CTR_SYNACK_RETRANSMITS;
	     c++)
		l->want[c] = v;
	l->want[NQSTAT_CTR_ACCEPTED] = -1;
}

/*
 * Listeners whose counts are not known in advance (loopback clients, whose
 * handshakes race with each other) still have none of these: no resets
 * (tcp_abort_on_overflow is off), no drop for another reason.
 */
static void want_none_odd(struct ln *l)
{
	want_all(l, -1);
	l->want[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = 0;
	l->want[NQSTAT_CTR_SYN_BACKLOG_DROPS] = 0;
	l->want[NQSTAT_CTR_OTHER_DROPS] = 0;
}

/* Listener @i of @w, non-blocking, in namespace @ns. */
static int ln_add(struct world *w, int i, const char *name, int ns,
		  int family, const char *addr, uint16_t port, int backlog,
		  const struct nq_listen_opts *opts)
{
	struct nq_listen_opts o = *opts;
	struct ln *l = &w->ln[i];
	int c, err = ns_enter(w, ns);

	if (err)
		return err;
	o.nonblock = true;
	l->fd = nq_listen_ex(family, addr, backlog, &port, &o);
	if (l->fd < 0)
		return l->fd;
	l->name = name;
	l->ns = ns;
	l->family = family;
	l->port = port;
	l->cookie = nq_sock_cookie(l->fd);
	l->ifindex = o.dev ? if_nametoindex(o.dev) : 0;
	l->backlog = backlog;
	l->accepted = 0;
	for (c = 0; c <= NQSTAT_CTR_MAX; c++)
		l->want[c] = -1;
	want_none_odd(l);
	l->want_acceptq = l->want_synq = -1;
	if (i >= w->nln)
		w->nln = i + 1;
	return 0;
}

static int client_keep(struct world *w, int fd)
{
	if (fd < 0)
		return fd;
	if (w->nclients == CLIENTS_MAX) {
		close(fd);
		return -ENOSPC;
	}
	w->clients[w->nclients++] = fd;
	return 0;
}

/*
 * @n clients of @l from its own namespace, kept open: blocking connect()s
 * (@wait, for a queue with room) or non-blocking ones (never accepted, the
 * queue may overflow).
 */
static int clients(struct world *w, struct ln *l, int family,
		   const char *addr, int n, bool wait)
{
	int i, err = ns_enter(w, l->ns);

	for (i = 0; !err && i < n; i++)
		err = client_keep(w, wait ? nq_connect(family, addr, l->port) :
				  nq_connect_nb(family, addr, l->port, 0));
	return err;
}

/* A handshake from the TUN peer's port @sport, complete. */
static int hs(struct nq_peer *p, struct ln *l, uint16_t sport)
{
	uint32_t isn;
	int err = nq_peer_syn(p, sport, l->port, &isn);

	return err ? err : nq_peer_ack(p, sport, l->port, isn);
}

/* A SYN from @sport, answered with a SYN-ACK (a request or a cookie). */
static int syn(struct world *w, struct nq_peer *p, struct ln *l,
	       uint16_t sport)
{
	return nq_peer_syn(p, sport, l->port, &w->isn[sport - PORT_BASE]);
}

/* The final ACK of the handshake syn() started. */
static int ack(struct world *w, struct nq_peer *p, struct ln *l,
	       uint16_t sport)
{
	return nq_peer_ack(p, sport, l->port, w->isn[sport - PORT_BASE]);
}

/* A SYN that may well be dropped. */
static int syn_raw(struct nq_peer *p, struct ln *l, uint16_t sport)
{
	return nq_peer_send(p, sport, l->port, 1, 0, NQ_SYN);
}

/* The RST the kernel sent to peer port @sport. */
static int rst_to(struct nq_peer *p, uint16_t sport)
{
	struct nq_seg seg;
	int err;

	do {
		err = nq_peer_recv(p, NQ_RST, 2000, &seg);
	} while (!err && seg.dport != sport);
	return err;
}

/* accept() on @l within @ms: the child, or a negative errno. */
static int accept_wait(struct ln *l, int ms)
{
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
	int c;

	if (poll(&pfd, 1, ms) <= 0)
		return -ETIMEDOUT;
	c = accept(l->fd, NULL, NULL);
	if (c < 0)
		return -errno;
	l->accepted++;
	return c;
}

/* Accepts and closes the children of @l, until none comes within @ms. */
static int drain(struct ln *l, int ms)
{
	int n = 0, c;

	while ((c = accept_wait(l, ms)) >= 0) {
		close(c);
		n++;
	}
	return n;
}

/*
 * An accept() on an empty queue (EAGAIN: not counted as accepted). A
 * retransmitted SYN may just have filled it: then it is one more.
 */
static int accept_empty(struct ln *l)
{
	int c = accept(l->fd, NULL, NULL);

	if (c >= 0) {
		l->accepted++;
		close(c);
		return 0;
	}
	return errno == EAGAIN ? 0 : -errno;
}

/* A byte each way between two connected sockets. */
static int echo(int a, int b)
{
	int fds[2] = { a, b }, i;
	char c;

	for (i = 0; i < 2; i++) {
		struct pollfd pfd = { .fd = fds[!i], .events = POLLIN };

		if (write(fds[i], "n", 1) != 1)
			return -errno;
		if (poll(&pfd, 1, 2000) != 1 || read(fds[!i], &c, 1) != 1 ||
		    c != 'n')
			return -EIO;
	}
	return 0;
}

static uint16_t sa_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET ?
		     ((const struct sockaddr_in *)ss)->sin_port :
		     ((const struct sockaddr_in6 *)ss)->sin6_port);
}

static bool sa_is_v4(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ||
	       IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/* The client, among @fds, of the accepted socket @child. */
static int client_of(int child, const int *fds, int n)
{
	struct sockaddr_storage peer, own;
	socklen_t len = sizeof(peer);
	int i;

	if (getpeername(child, (struct sockaddr *)&peer, &len))
		return -errno;
	for (i = 0; i < n; i++) {
		len = sizeof(own);
		if (!getsockname(fds[i], (struct sockaddr *)&own, &len) &&
		    sa_port(&own) == sa_port(&peer) &&
		    sa_is_v4(&own) == sa_is_v4(&peer))
			return fds[i];
	}
	return -ENOENT;
}

/*
 * TCP sockets in LISTEN in the initial namespace: the module adopts those
 * too at its load.
 */
static int init_ns_listeners(void)
{
	static const char *const files[] = {
		"/proc/1/net/tcp", "/proc/1/net/tcp6",
	};
	char line[512];
	unsigned int st;
	size_t i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		FILE *f = fopen(files[i], "re");

		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, " %*s %*s %*s %x", &st) == 1 &&
			    st == 0x0a)
				n++;
		fclose(f);
	}
	return n;
}

/* Whether @json holds "@key":@v. */
static bool json_has_u64(const char *json, const char *key, uint64_t v)
{
	const char *p = json;
	char k[64];
	size_t klen;

	snprintf(k, sizeof(k), "\"%s\":", key);
	klen = strlen(k);
	while ((p = strstr(p, k))) {
		p += klen;
		while (*p == ' ')
			p++;
		if (isdigit((unsigned char)*p) && strtoull(p, NULL, 10) == v)
			return true;
	}
	return false;
}

static void log_row(struct __test_metadata *_metadata, const char *when,
		    const char *name, const struct nq_row *r)
{
	const uint64_t *c = r->ctr;

	TH_LOG("%s: %s: handshakes %" PRIu64 " accepted %" PRIu64
	       " synq_drops %" PRIu64 " cookies %" PRIu64 " syn_backlog %" PRIu64
	       " acceptq_drops_syn %" PRIu64 " acceptq_overflows %" PRIu64
	       " resets %" PRIu64 " other %" PRIu64 " acceptq %u synq %u",
	       when, name, c[NQSTAT_CTR_HANDSHAKES_COMPLETED],
	       c[NQSTAT_CTR_ACCEPTED], c[NQSTAT_CTR_SYN_QUEUE_DROPS],
	       c[NQSTAT_CTR_SYN_COOKIES_SENT], c[NQSTAT_CTR_SYN_BACKLOG_DROPS],
	       c[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN],
	       c[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS],
	       c[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS],
	       c[NQSTAT_CTR_OTHER_DROPS], r->acceptq_len, r->synq_len);
}

/* A dump of all namespaces, and their MIB counters as they were for it. */
struct snap {
	struct nq_rows rows;
	struct mib mib[NS_MAX];
};

/*
 * The counters move in the same softirq as the MIB counters, right after
 * them: read the MIB counters, let any event in flight finish, dump, read
 * them again; if they moved (a retransmitted SYN came in), try again.
 */
static int snap_take(struct world *w, struct snap *s)
{
	struct mib again[NS_MAX];
	struct nq_nl nl;
	int tries, err;

	err = nq_nl_open(&nl);
	if (err)
		return err;
	for (tries = 0; tries < 50; tries++) {
		err = mib_read_all(w, s->mib);
		if (err)
			break;
		usleep(20000);
		err = nq_dump(&nl, true, &s->rows);
		if (err)
			break;
		err = mib_read_all(w, again);
		if (err || !memcmp(again, s->mib, w->nns * sizeof(again[0])))
			break;
		nq_rows_free(&s->rows);
		usleep(100000);
		err = -EAGAIN;
	}
	nq_nl_close(&nl);
	if (err)
		nq_rows_free(&s->rows);
	return err;
}

/*
 * The counters of every listener of @w: as known in advance, accepted as
 * the accept() calls that succeeded, and, summed per namespace, equal to
 * the MIB deltas since the load. With @keep, the snapshot is the caller's
 * to free.
 */
static void check(struct __test_metadata *_metadata, struct world *w,
		  const char *when, struct snap *keep)
{
	uint64_t sum[NS_MAX][M_N] = {};
	const struct nq_row *r;
	struct snap s = {};
	int i, c, m, ns;

	ASSERT_EQ(0, snap_take(w, &s))
		TH_LOG("%s: no dump while the MIB counters stood still", when);
	for (i = 0; i < w->nln; i++) {
		const struct ln *l = &w->ln[i];

		r = nq_rows_find(&s.rows, l->cookie);
		EXPECT_NE(NULL, r)
			TH_LOG("%s: %s (port %u) is not listed", when, l->name,
			       l->port);
		if (!r)
			continue;
		EXPECT_EQ(NQSTAT_LISTENER_LISTENING, r->state)
			TH_LOG("%s: %s is not listening", when, l->name);
		EXPECT_EQ((uint64_t)l->accepted, r->ctr[NQSTAT_CTR_ACCEPTED])
			TH_LOG("%s: %s: accepted %" PRIu64 ", but accept() succeeded %d times",
			       when, l->name, r->ctr[NQSTAT_CTR_ACCEPTED],
			       l->accepted);
		for (c = NQSTAT_CTR_HANDSHAKES_COMPLETED; c <= NQSTAT_CTR_MAX; c++) {
			if (l->want[c] < 0)
				continue;
			EXPECT_EQ((uint64_t)l->want[c], r->ctr[c])
				TH_LOG("%s: %s: %s is %" PRIu64 ", expected %" PRId64,
				       when, l->name, ctr_name(c), r->ctr[c],
				       l->want[c]);
		}
		for (m = 0; m < M_N; m++)
			sum[l->ns][m] += row_part(r, m);
	}
	for (ns = 0; ns < w->nns; ns++) {
		uint64_t d[M_N];

		for (m = 0; m < M_N; m++)
			d[m] = s.mib[ns].v[m] - w->base[ns].v[m];
		TH_LOG("%s: namespace %d since the load: PassiveOpens +%" PRIu64
		       " ListenOverflows +%" PRIu64 " ListenDrops +%" PRIu64
		       " TCPReqQFullDrop +%" PRIu64 " TCPReqQFullDoCookies +%" PRIu64,
		       when, ns, d[M_PASSIVE_OPENS], d[M_LISTEN_OVERFLOWS],
		       d[M_LISTEN_DROPS], d[M_REQQ_FULL_DROP],
		       d[M_REQQ_FULL_COOKIES]);
		for (m = 0; m < M_N; m++) {
			if (!mibs[m].sum)
				continue;
			EXPECT_EQ(d[m], sum[ns][m])
				TH_LOG("%s: namespace %d: %s %s +%" PRIu64 ", but the sum of %s over its listeners is %" PRIu64,
				       when, ns, mibs[m].proto, mibs[m].name,
				       d[m], mibs[m].sum, sum[ns][m]);
		}
	}
	if (!_metadata->passed) {
		for (i = 0; i < w->nln; i++) {
			r = nq_rows_find(&s.rows, w->ln[i].cookie);
			if (r)
				log_row(_metadata, when, w->ln[i].name, r);
		}
	}
	if (keep)
		*keep = s;
	else
		nq_rows_free(&s.rows);
}

/*
 * Right after a load: every listener of @w is listed, as it is, with
 * counters at zero and peaks at the queue lengths it has; status counts
 * them as adopted (and those of the initial namespace), no foreign one;
 * "nqstat -a -j" lists them too.
 */
static void check_listed(struct __test_metadata *_metadata, struct world *w,
			 const char *when)
{
	static char out[1 << 20];
	int i, c, others = init_ns_listeners();
	const struct nq_row *r;
	struct nq_status st;
	struct nq_rows rows;
	struct nq_nl nl;

	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &st));
	ASSERT_EQ(0, nq_dump(&nl, true, &rows));
	nq_nl_close(&nl);

	EXPECT_TRUE(st.has_adopted)
		TH_LOG("%s: status has no NQSTAT_A_LISTENERS_ADOPTED", when);
	EXPECT_EQ((uint32_t)(w->nln + others), st.adopted)
		TH_LOG("%s: listeners_adopted %u, expected the %d created + %d of the initial namespace",
		       when, st.adopted, w->nln, others);
	EXPECT_TRUE(st.has_foreign)
		TH_LOG("%s: status has no NQSTAT_A_LISTENERS_FOREIGN", when);
	EXPECT_EQ(0, st.foreign)
		TH_LOG("%s: listeners_foreign %" PRIu64 ", expected 0", when,
		       st.foreign);
	EXPECT_EQ(0, st.untracked)
		TH_LOG("%s: untracked_events %" PRIu64, when, st.untracked);

	for (i = 0; i < w->nln; i++) {
		const struct ln *l = &w->ln[i];

		r = nq_rows_find(&rows, l->cookie);
		EXPECT_NE(NULL, r)
			TH_LOG("%s: %s (port %u, cookie %" PRIu64 ") is not listed",
			       when, l->name, l->port, l->cookie);
		if (!r)
			continue;
		EXPECT_EQ(NQSTAT_LISTENER_LISTENING, r->state);
		EXPECT_EQ(l->family, r->family) TH_LOG("%s: %s", when, l->name);
		EXPECT_EQ(l->port, r->port) TH_LOG("%s: %s", when, l->name);
		EXPECT_EQ(l->ifindex, r->ifindex)
			TH_LOG("%s: %s: ifindex", when, l->name);
		EXPECT_EQ(l->backlog, r->backlog)
			TH_LOG("%s: %s: backlog", when, l->name);
		EXPECT_EQ(nq_netns_cookie(l->fd), r->netns_cookie)
			TH_LOG("%s: %s: namespace", when, l->name);
		/* Nothing happened since the load (SYN-ACKs may be resent). */
		for (c = NQSTAT_CTR_HANDSHAKES_COMPLETED;
		     c < NQSTAT_CTR_SYNACK_RETRANSMITS; c++) {
			EXPECT_TRUE(r->has_ctr[c])
				TH_LOG("%s: %s: no %s", when, l->name,
				       ctr_name(c));
			EXPECT_EQ(0, r->ctr[c])
				TH_LOG("%s: %s: %s is %" PRIu64 " right after the load",
				       when, l->name, ctr_name(c), r->ctr[c]);
		}
		/* Peaks start from the queue lengths at the load. */
		if (l->want_acceptq >= 0) {
			EXPECT_TRUE(r->has_acceptq_len);
			EXPECT_EQ((uint32_t)l->want_acceptq, r->acceptq_len)
				TH_LOG("%s: %s: accept queue", when, l->name);
			EXPECT_EQ((uint32_t)l->want_acceptq, r->acceptq_peak)
				TH_LOG("%s: %s: accept queue peak", when,
				       l->name);
		}
		if (l->want_synq >= 0) {
			EXPECT_EQ((uint32_t)l->want_synq, r->synq_len)
				TH_LOG("%s: %s: SYN queue", when, l->name);
			EXPECT_EQ((uint32_t)l->want_synq, r->synq_peak)
				TH_LOG("%s: %s: SYN queue peak", when, l->name);
		}
	}
	nq_rows_free(&rows);

	ASSERT_EQ(0, nq_tool(out, sizeof(out), "-a -j"))
		TH_LOG("%s: nqstat -a -j failed (is NQSTAT_TOOL set?): %.500s",
		       when, out);
	for (i = 0; i < w->nln; i++) {
		EXPECT_TRUE(json_has_u64(out, "cookie", w->ln[i].cookie))
			TH_LOG("%s: nqstat -a -j does not list %s (cookie %" PRIu64 ")",
			       when, w->ln[i].name, w->ln[i].cookie);
	}
}

/*
 * The listeners of the adoption tests, and traffic that leaves nothing in
 * flight (complete handshakes; SYNs of the TUN peer, which never resends
 * them). Namespace 0 has syncookies off, namespace 1 on.
 */
static void world_build(struct __test_metadata *_metadata, struct world *w)
{
	static const struct nq_listen_opts v4 = { .v6only = -1 };
	static const struct nq_listen_opts v6only = { .v6only = 1 };
	static const struct nq_listen_opts dual = { .v6only = 0 };
	static const struct nq_listen_opts rp = { .v6only = -1,
						  .reuseport = true };
	static const struct nq_listen_opts dev = { .v6only = -1, .dev = "lo" };
	static const char *const rp_names[] = {
		"127.0.0.1 SO_REUSEPORT member 0",
		"127.0.0.1 SO_REUSEPORT member 1",
		"127.0.0.1 SO_REUSEPORT member 2",
	};
	struct ln *l = w->ln;
	uint16_t port = 0;
	int i;

	ASSERT_EQ(0, ns_add(w));
	ASSERT_EQ(0, sysctl_net("ipv4/tcp_syncookies", "0"));
	/* Requests from before a (re)load live until their final ACK. */
	ASSERT_EQ(0, sysctl_net("ipv4/tcp_synack_retries", "8"));
	ASSERT_EQ(0, nq_peer_open(&w->p4, AF_INET));
	ASSERT_EQ(0, nq_peer_open(&w->p6, AF_INET6));
	ASSERT_EQ(0, ln_add(w, L_V4, "IPv4 10.9.0.1", 0, AF_INET,
			    w->p4.local_str, 0, 2, &v4));
	ASSERT_EQ(0, ln_add(w, L_V6, "IPv6 fd00:9::1 V6ONLY", 0, AF_INET6,
			    w->p6.local_str, 0, 4, &v6only));
	ASSERT_EQ(0, ln_add(w, L_DUAL, "[::] V6ONLY off", 0, AF_INET6, "::", 0,
			    64, &dual));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, ln_add(w, L_RP0 + i, rp_names[i], 0, AF_INET,
				    "127.0.0.1", port, 2, &rp));
		port = l[L_RP0 + i].port;
	}
	ASSERT_EQ(0, ln_add(w, L_DEV, "0.0.0.0 SO_BINDTODEVICE lo", 0, AF_INET,
			    "0.0.0.0", 0, 1, &dev));

	ASSERT_EQ(0, ns_add(w));
	ASSERT_EQ(0, sysctl_net("ipv4/tcp_syncookies", "1"));
	ASSERT_EQ(0, sysctl_net("ipv4/tcp_synack_retries", "8"));
	ASSERT_EQ(0, nq_peer_open(&w->pb4, AF_INET));
	ASSERT_EQ(0, ln_add(w, L_B4, "ns 1: IPv4 10.9.0.1, syncookies", 1,
			    AF_INET, w->pb4.local_str, 0, 4, &v4));
	ASSERT_EQ(0, ln_add(w, L_B6, "ns 1: IPv6 ::1", 1, AF_INET6, "::1", 0, 1,
			    &v6only));
	/* For a module loaded before all this. */
	ASSERT_EQ(0, baseline(w));

	/* L_V4 (backlog 2): its accept queue full, a request waiting. */
	ASSERT_EQ(0, hs(&w->p4, &l[L_V4], 40001));
	ASSERT_EQ(0, hs(&w->p4, &l[L_V4], 40002));
	ASSERT_EQ(0, syn(w, &w->p4, &l[L_V4], 40010));
	ASSERT_EQ(0, hs(&w->p4, &l[L_V4], 40003));
	l[L_V4].want_acceptq = 3;
	l[L_V4].want_synq = 1;
	/* L_V6 (backlog 4): two requests waiting. */
	ASSERT_EQ(0, syn(w, &w->p6, &l[L_V6], 40200));
	ASSERT_EQ(0, syn(w, &w->p6, &l[L_V6], 40201));
	l[L_V6].want_acceptq = 0;
	l[L_V6].want_synq = 2;
	/* Connections waiting in the accept queues. */
	ASSERT_EQ(0, ns_enter(w, 0));
	w->dual_clients[0] = nq_connect(AF_INET, "127.0.0.1", l[L_DUAL].port);
	ASSERT_EQ(0, client_keep(w, w->dual_clients[0]));
	w->dual_clients[1] = nq_connect(AF_INET6, "::1", l[L_DUAL].port);
	ASSERT_EQ(0, client_keep(w, w->dual_clients[1]));
	l[L_DUAL].want_acceptq = 2;
	ASSERT_EQ(0, clients(w, &l[L_RP0], AF_INET, "127.0.0.1", 2, true));
	ASSERT_EQ(0, clients(w, &l[L_DEV], AF_INET, "127.0.0.1", 1, true));
	l[L_DEV].want_acceptq = 1;
	/* Namespace 1: a request waiting, a connection. */
	ASSERT_EQ(0, syn(w, &w->pb4, &l[L_B4], 40400));
	l[L_B4].want_synq = 1;
	ASSERT_EQ(0, clients(w, &l[L_B6], AF_INET6, "::1", 1, true));
	l[L_B6].want_acceptq = 1;
	/* The last handshakes' final ACKs are in. */
	usleep(100000);
}

/* Traffic after the load, up to full queues; nothing accepted yet. */
static void traffic_full(struct __test_metadata *_metadata, struct world *w)
{
	struct ln *l = w->ln;
	int i;

	/*
	 * L_V4's accept queue holds 3 (backlog 2): the final ACK of 40010
	 * overflows, and two new SYNs are dropped.
	 */
	ASSERT_EQ(0, ack(w, &w->p4, &l[L_V4], 40010));
	ASSERT_EQ(0, syn_raw(&w->p4, &l[L_V4], 40020));
	ASSERT_EQ(0, syn_raw(&w->p4, &l[L_V4], 40021));
	want_all(&l[L_V4], 0);
	l[L_V4].want[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 1;
	l[L_V4].want[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = 2;
	/*
	 * L_V6: the two requests from before the load complete. Then its SYN
	 * queue fills up: 5 requests (backlog 4), 5 drops (syncookies off).
	 * (Not the other way round: once the SYN queue is more than half
	 * full, reqsk_timer_handler() expires requests older than two
	 * SYN-ACK retransmits.)
	 */
	ASSERT_EQ(0, ack(w, &w->p6, &l[L_V6], 40200));
	ASSERT_EQ(0, ack(w, &w->p6, &l[L_V6], 40201));
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, syn_raw(&w->p6, &l[L_V6], 40202 + i));
	}
	want_all(&l[L_V6], 0);
	l[L_V6].want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 2;
	l[L_V6].want[NQSTAT_CTR_SYN_QUEUE_DROPS] = 5;
	/* IPv4 and IPv6 clients of the dual-stack listener: once each. */
	ASSERT_EQ(0, clients(w, &l[L_DUAL], AF_INET, "127.0.0.1", 3, true));
	ASSERT_EQ(0, clients(w, &l[L_DUAL], AF_INET6, "::1", 3, true));
	want_all(&l[L_DUAL], 0);
	l[L_DUAL].want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 6;
	/*
	 * Clients never accepted: the reuseport group (3 each) and the
	 * device-bound listener (2) overflow; the SYNs are resent.
	 */
	ASSERT_EQ(0, clients(w, &l[L_RP0], AF_INET, "127.0.0.1", 30, false));
	ASSERT_EQ(0, clients(w, &l[L_DEV], AF_INET, "127.0.0.1", 6, false));

	/*
	 * Namespace 1: L_B4's request from before the load completes; then
	 * its SYN queue holds 5 (backlog 4), the next 6 SYNs get cookies;
	 * two of the requests complete at once (see L_V6).
	 */
	ASSERT_EQ(0, ack(w, &w->pb4, &l[L_B4], 40400));
	for (i = 1; i <= 11; i++) {
		ASSERT_EQ(0, syn(w, &w->pb4, &l[L_B4], 40400 + i));
	}
	ASSERT_EQ(0, ack(w, &w->pb4, &l[L_B4], 40401));
	ASSERT_EQ(0, ack(w, &w->pb4, &l[L_B4], 40402));
	want_all(&l[L_B4], 0);
	l[L_B4].want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 3;
	l[L_B4].want[NQSTAT_CTR_SYN_COOKIES_SENT] = 6;
	ASSERT_EQ(0, clients(w, &l[L_B6], AF_INET6, "::1", 4, false));
	usleep(200000);
}

/* Everything accepted; more handshakes, from requests and cookies. */
static void traffic_drain(struct __test_metadata *_metadata, struct world *w)
{
	struct ln *l = w->ln;
	int i;

	EXPECT_EQ(3, drain(&l[L_V4], 300));
	ASSERT_EQ(0, hs(&w->p4, &l[L_V4], 40030));
	ASSERT_EQ(0, hs(&w->p4, &l[L_V4], 40031));
	EXPECT_EQ(2, drain(&l[L_V4], 1000));
	l[L_V4].want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 2;

	EXPECT_EQ(2, drain(&l[L_V6], 1000));

	drain(&l[L_DUAL], 300);
	for (i = L_RP0; i <= L_RP2; i++)
		drain(&l[i], 300);
	drain(&l[L_DEV], 300);

	/* Two cookies complete (they have no request to expire). */
	ASSERT_EQ(0, ack(w, &w->pb4, &l[L_B4], 40406));
	ASSERT_EQ(0, ack(w, &w->pb4, &l[L_B4], 40407));
	EXPECT_EQ(5, drain(&l[L_B4], 1000));
	l[L_B4].want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 5;
	drain(&l[L_B6], 300);

	/* accept() on empty queues: not counted. */
	for (i = 0; i < w->nln; i++) {
		EXPECT_EQ(0, accept_empty(&l[i]));
	}
}

/* Load or unload the module as a test needs it, whatever the last left. */
static void module_want(struct __test_metadata *_metadata, const char *ko,
			bool loaded)
{
	if (loaded && !nq_module_loaded()) {
		ASSERT_NE(NULL, ko) TH_LOG("module not loaded, NQSTAT_KO not set");
		ASSERT_EQ(0, nq_module_load(ko));
	}
	if (!loaded && nq_module_loaded())
		ASSERT_EQ(0, nq_module_unload("nqstat"));
}

/*
 * The adoption tests: they start with the module unloaded; it is loaded
 * again at the end.
 */
FIXTURE(adopt) {
	const char *ko;
	struct world w;
};

FIXTURE_SETUP(adopt)
{
	world_init(&self->w);
	self->ko = getenv("NQSTAT_KO");
	if (self->ko)
		module_want(_metadata, self->ko, false);
}

FIXTURE_TEARDOWN(adopt)
{
	world_free(&self->w);
	if (self->ko && !nq_module_loaded())
		EXPECT_EQ(0, nq_module_load(self->ko));
}

/*
 * Listeners of every kind, listening before the load, in two namespaces:
 * listed right after it, counted from it.
 */
TEST_F_TIMEOUT(adopt, listed_and_counted_from_load, 240)
{
	struct world *w = &self->w;

	if (!self->ko)
		SKIP(return, "NQSTAT_KO is not set");
	world_build(_metadata, w);
	ASSERT_EQ(0, nq_module_load(self->ko));
	ASSERT_EQ(0, baseline(w));
	check_listed(_metadata, w, "right after the load");
	traffic_full(_metadata, w);
	check(_metadata, w, "queues full", NULL);
	traffic_drain(_metadata, w);
	check(_metadata, w, "queues drained", NULL);
}

/*
 * Listeners tracked since they started listening, then an unload (their
 * children outlive it) and a reload: adopted, counted from zero again.
 */
TEST_F_TIMEOUT(adopt, reload, 300)
{
	struct world *w = &self->w;
	struct ln *l = w->ln;
	int child[2], cli, c, i;
	static const struct {
		int family;
		const char *addr;
	} via[] = { { AF_INET, "127.0.0.1" }, { AF_INET6, "::1" } };

	if (!self->ko)
		SKIP(return, "NQSTAT_KO is not set");
	ASSERT_EQ(0, nq_module_load(self->ko));
	world_build(_metadata, w);
	/* Counted since the listeners started listening. */
	want_all(&l[L_V4], 0);
	l[L_V4].want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 3;
	want_all(&l[L_V6], 0);
	want_all(&l[L_DUAL], 0);
	l[L_DUAL].want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 2;
	want_all(&l[L_DEV], 0);
	l[L_DEV].want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 1;
	want_all(&l[L_B4], 0);
	want_all(&l[L_B6], 0);
	l[L_B6].want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 1;
	check(_metadata, w, "before the unload", NULL);
	for (i = 0; i < w->nln; i++)
		want_none_odd(&l[i]);

	/* One child accepted before the unload, one left in the queue. */
	child[0] = accept_wait(&l[L_DUAL], 2000);
	ASSERT_LE(0, child[0]);
	ASSERT_EQ(0, nq_module_unload("nqstat"));

	/* Children and listener work with the module gone. */
	child[1] = accept_wait(&l[L_DUAL], 2000);
	ASSERT_LE(0, child[1]);
	for (i = 0; i < 2; i++) {
		cli = client_of(child[i], w->dual_clients, 2);
		ASSERT_LE(0, cli) TH_LOG("no client for child %d", i);
		EXPECT_EQ(0, echo(child[i], cli))
			TH_LOG("child %d of the dual-stack listener after the unload",
			       i);
		close(child[i]);
	}
	ASSERT_EQ(0, ns_enter(w, 0));
	for (i = 0; i < 2; i++) {
		cli = nq_connect(via[i].family, via[i].addr, l[L_DUAL].port);
		ASSERT_LE(0, cli);
		c = accept_wait(&l[L_DUAL], 2000);
		ASSERT_LE(0, c);
		EXPECT_EQ(0, echo(c, cli))
			TH_LOG("a connection to the dual-stack listener over %s while unloaded",
			       via[i].addr);
		close(c);
		close(cli);
	}
	l[L_DUAL].want_acceptq = 0;

	ASSERT_EQ(0, nq_module_load(self->ko));
	ASSERT_EQ(0, baseline(w));
	check_listed(_metadata, w, "right after the reload");
	traffic_full(_metadata, w);
	check(_metadata, w, "queues full, after the reload", NULL);
	traffic_drain(_metadata, w);
	check(_metadata, w, "queues drained, after the reload", NULL);
}

/*
 * One [::] listener with V6ONLY off, somaxconn 3 (the accept queue holds 4),
 * IPv4 and IPv6 clients: each handshake and each overflow counted once,
 * with tcp_abort_on_overflow off and on; started before the load
 * (adopted) or after it.
 */
FIXTURE(dual) {
	const char *ko;
	struct world w;
};

FIXTURE_VARIANT(dual) {
	bool abort;
	bool adopted;
};

FIXTURE_VARIANT_ADD(dual, abort_off) {
	.abort = false,
	.adopted = false,
};

FIXTURE_VARIANT_ADD(dual, abort_on) {
	.abort = true,
	.adopted = false,
};

FIXTURE_VARIANT_ADD(dual, adopted_abort_off) {
	.abort = false,
	.adopted = true,
};

FIXTURE_VARIANT_ADD(dual, adopted_abort_on) {
	.abort = true,
	.adopted = true,
};

FIXTURE_SETUP(dual)
{
	static const struct nq_listen_opts dual = { .v6only = 0 };
	struct world *w = &self->w;

	world_init(w);
	self->ko = getenv("NQSTAT_KO");
	if (variant->adopted && !self->ko)
		return;
	module_want(_metadata, self->ko, !variant->adopted);
	ASSERT_EQ(0, ns_add(w));
	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/core/somaxconn", "3"));
	ASSERT_EQ(0, sysctl_net("ipv4/tcp_abort_on_overflow",
				variant->abort ? "1" : "0"));
	ASSERT_EQ(0, nq_peer_open(&w->p4, AF_INET));
	ASSERT_EQ(0, nq_peer_open(&w->p6, AF_INET6));
	ASSERT_EQ(0, ln_add(w, 0, "[::] V6ONLY off", 0, AF_INET6, "::", 0, 64,
			    &dual));
	w->ln[0].backlog = 3;
	w->ln[0].want_acceptq = w->ln[0].want_synq = 0;
	if (variant->adopted)
		ASSERT_EQ(0, nq_module_load(self->ko));
	ASSERT_EQ(0, baseline(w));
}

FIXTURE_TEARDOWN(dual)
{
	world_free(&self->w);
	if (self->ko && !nq_module_loaded())
		EXPECT_EQ(0, nq_module_load(self->ko));
}

/* The resets, and EmbryonicRsts: one per reset sent for an overflow. */
static void check_resets(struct __test_metadata *_metadata,
			 const struct world *w, const struct snap *s,
			 bool abort, const char *when)
{
	const struct nq_row *r = nq_rows_find(&s->rows, w->ln[0].cookie);
	uint64_t emb;

	ASSERT_NE(NULL, r);
	emb = s->mib[0].v[M_EMBRYONIC_RSTS] - w->base[0].v[M_EMBRYONIC_RSTS];
	EXPECT_EQ(abort ? r->ctr[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] : 0,
		  r->ctr[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS])
		TH_LOG("%s: accept_queue_overflow_resets %" PRIu64 ", accept_queue_overflows %" PRIu64,
		       when, r->ctr[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS],
		       r->ctr[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS]);
	EXPECT_EQ(emb, r->ctr[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS])
		TH_LOG("%s: TcpExtEmbryonicRsts +%" PRIu64 ", resets %" PRIu64,
		       when, emb,
		       r->ctr[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS]);
}

TEST_F_TIMEOUT(dual, counted_once, 180)
{
	struct world *w = &self->w;
	struct ln *l = &w->ln[0];
	const struct nq_row *r;
	struct snap s;
	int i, cli, c;

	if (variant->adopted && !self->ko)
		SKIP(return, "NQSTAT_KO is not set");
	if (variant->adopted)
		check_listed(_metadata, w, "right after the load");

	/*
	 * Two handshakes of each family, one request of each family left
	 * waiting for its final ACK; then the accept queue is full (4).
	 */
	ASSERT_EQ(0, hs(&w->p4, l, 40601));
	ASSERT_EQ(0, hs(&w->p6, l, 40602));
	ASSERT_EQ(0, syn(w, &w->p4, l, 40610));
	ASSERT_EQ(0, syn(w, &w->p6, l, 40611));
	ASSERT_EQ(0, hs(&w->p4, l, 40603));
	ASSERT_EQ(0, hs(&w->p6, l, 40604));
	/* The final ACKs overflow (a reset each with abort on). */
	ASSERT_EQ(0, ack(w, &w->p4, l, 40610));
	if (variant->abort) {
		EXPECT_EQ(0, rst_to(&w->p4, 40610))
			TH_LOG("no reset for the IPv4 overflow");
	}
	ASSERT_EQ(0, ack(w, &w->p6, l, 40611));
	if (variant->abort) {
		EXPECT_EQ(0, rst_to(&w->p6, 40611))
			TH_LOG("no reset for the IPv6 overflow");
	}
	/* SYNs of both families are dropped. */
	ASSERT_EQ(0, syn_raw(&w->p4, l, 40620));
	ASSERT_EQ(0, syn_raw(&w->p6, l, 40621));
	usleep(100000);
	want_all(l, 0);
	l->want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 4;
	l->want[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 2;
	l->want[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = variant->abort ? 2 : 0;
	l->want[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = 2;
	check(_metadata, w, "TUN peers of both families", &s);
	r = nq_rows_find(&s.rows, l->cookie);
	if (r) {
		EXPECT_EQ(4, r->acceptq_len);
		EXPECT_EQ(4, r->acceptq_peak);
	}
	check_resets(_metadata, w, &s, variant->abort, "TUN peers");
	nq_rows_free(&s.rows);

	/* Loopback clients of both families, each accepted. */
	EXPECT_EQ(4, drain(l, 300));
	ASSERT_EQ(0, ns_enter(w, 0));
	for (i = 0; i < 10; i++) {
		cli = i % 2 ? nq_connect(AF_INET6, "::1", l->port) :
			      nq_connect(AF_INET, "127.0.0.1", l->port);
		ASSERT_LE(0, cli);
		c = accept_wait(l, 2000);
		ASSERT_LE(0, c);
		close(c);
		close(cli);
	}
	l->want[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 14;
	check(_metadata, w, "loopback clients, accepted", NULL);

	/* Loopback clients never accepted: the queue overflows again. */
	ASSERT_EQ(0, clients(w, l, AF_INET, "127.0.0.1", 6, false));
	ASSERT_EQ(0, clients(w, l, AF_INET6, "::1", 6, false));
	usleep(300000);
	want_none_odd(l);
	l->want[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = -1;
	check(_metadata, w, "loopback clients, never accepted", &s);
	check_resets(_metadata, w, &s, variant->abort, "loopback clients");
	nq_rows_free(&s.rows);
}

/*
 * MPTCP listeners: the kernel listens on a TCP subflow socket whose
 * function table is MPTCP's. It is foreign: counted in status, never
 * listed or wrapped; its overflows move the namespace's MIB counters and
 * nothing of nqstat's. A plain TCP listener beside it counts exactly.
 */
FIXTURE(foreign) {
	const char *ko;
	struct world w;
	int mfd;
	uint16_t mport;
};

FIXTURE_VARIANT(foreign) {
	bool adopted;	/* the listeners were listening before the load */
};

FIXTURE_VARIANT_ADD(foreign, after_load) {
	.adopted = false,
};

FIXTURE_VARIANT_ADD(foreign, before_load) {
	.adopted = true,
};

FIXTURE_SETUP(foreign)
{
	world_init(&self->w);
	self->mfd = -1;
	self->ko = getenv("NQSTAT_KO");
	if (variant->adopted && !self->ko)
		return;
	module_want(_metadata, self->ko, !variant->adopted);
	ASSERT_EQ(0, ns_add(&self->w));
}

FIXTURE_TEARDOWN(foreign)
{
	if (self->mfd >= 0)
		close(self->mfd);
	world_free(&self->w);
	if (self->ko && !nq_module_loaded())
		EXPECT_EQ(0, nq_module_load(self->ko));
}

/* An MPTCP listener on 127.0.0.1, or a negative errno. */
static int mptcp_listen(uint16_t *port, int backlog)
{
	static const struct nq_listen_opts o = {
		.protocol = IPPROTO_MPTCP, .v6only = -1, .nonblock = true,
	};
	int fd = nq_listen_ex(AF_INET, "127.0.0.1", backlog, port, &o);

	/* net.mptcp.enabled is per namespace. */
	if (fd < 0 && !nq_sysctl_write("/proc/sys/net/mptcp/enabled", "1"))
		fd = nq_listen_ex(AF_INET, "127.0.0.1", backlog, port, &o);
	return fd;
}

/* The rows of namespace @netns_cookie in a dump of all. */
static int rows_in_netns(const struct nq_rows *rows, uint64_t netns_cookie,
			 uint16_t port)
{
	size_t i;
	int n = 0;

	for (i = 0; i < rows->n; i++)
		if (rows->v[i].netns_cookie == netns_cookie &&
		    (!port || rows->v[i].port == port))
			n++;
	return n;
}

/* Status and dump: the foreign listener counted, not listed. */
static void check_foreign(struct __test_metadata *_metadata,
			  FIXTURE_DATA(foreign) *self, uint64_t want_foreign,
			  const char *when)
{
	const struct ln *l = &self->w.ln[0];
	uint64_t netns = nq_netns_cookie(l->fd);
	struct nq_status st;
	struct nq_rows rows;
	struct nq_nl nl;

	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &st));
	ASSERT_EQ(0, nq_dump(&nl, true, &rows));
	nq_nl_close(&nl);
	EXPECT_TRUE(st.has_foreign)
		TH_LOG("%s: status has no NQSTAT_A_LISTENERS_FOREIGN", when);
	EXPECT_EQ(want_foreign, st.foreign)
		TH_LOG("%s: listeners_foreign %" PRIu64 ", expected %" PRIu64 " (the MPTCP subflow listener)",
		       when, st.foreign, want_foreign);
	EXPECT_EQ(1, rows_in_netns(&rows, netns, 0))
		TH_LOG("%s: the namespace should list its TCP listener only",
		       when);
	EXPECT_NE(NULL, nq_rows_find(&rows, l->cookie))
		TH_LOG("%s: the TCP listener is not listed", when);
	EXPECT_EQ(0, rows_in_netns(&rows, netns, self->mport))
		TH_LOG("%s: the MPTCP listener (port %u) is listed", when,
		       self->mport);
	nq_rows_free(&rows);
}

/* The namespace's MIB counters once they stand still for 300 ms. */
static int mib_settle(struct mib *m)
{
	struct mib again;
	int i;

	mib_read(m);
	for (i = 0; i < 50; i++) {
		usleep(300000);
		mib_read(&again);
		if (!memcmp(&again, m, sizeof(again)))
			return 0;
		*m = again;
	}
	return -EAGAIN;
}

TEST_F_TIMEOUT(foreign, mptcp_listener, 180)
{
	static const struct nq_listen_opts v4 = { .v6only = -1 };
	struct world *w = &self->w;
	struct ln *l = &w->ln[0];
	struct pollfd pfd = { .events = POLLIN };
	uint64_t foreign0 = 0, overflows;
	const struct nq_row *r;
	struct nq_status st;
	struct nq_row row;
	struct nq_nl nl;
	struct mib m;
	struct snap s;
	int i, c;

	if (variant->adopted && !self->ko)
		SKIP(return, "NQSTAT_KO is not set");
	if (!variant->adopted) {
		ASSERT_EQ(0, nq_nl_open(&nl));
		ASSERT_EQ(0, nq_get_status(&nl, &st));
		nq_nl_close(&nl);
		foreign0 = st.foreign;
	}
	self->mfd = mptcp_listen(&self->mport, 2);
	if (self->mfd < 0)
		SKIP(return, "no MPTCP listener: socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP), listen(): %s",
		     strerror(-self->mfd));
	ASSERT_EQ(0, ln_add(w, 0, "127.0.0.1 TCP beside MPTCP", 0, AF_INET,
			    "127.0.0.1", 0, 2, &v4));
	if (variant->adopted) {
		ASSERT_EQ(0, nq_module_load(self->ko));
		ASSERT_EQ(0, nq_nl_open(&nl));
		ASSERT_EQ(0, nq_get_status(&nl, &st));
		nq_nl_close(&nl);
		EXPECT_EQ((uint32_t)(1 + init_ns_listeners()), st.adopted)
			TH_LOG("listeners_adopted %u: the TCP listener only (and the initial namespace's)",
			       st.adopted);
	}
	check_foreign(_metadata, self, foreign0 + 1, "MPTCP listener");

	/* The MPTCP listener overflows: TCP and MPTCP clients, never accepted. */
	mib_read(&m);
	overflows = m.v[M_LISTEN_OVERFLOWS];
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, client_keep(w, nq_connect_nb(AF_INET, "127.0.0.1",
							 self->mport,
							 i % 2 ? IPPROTO_MPTCP : 0)));
	}
	usleep(500000);
	mib_read(&m);
	ASSERT_LT(overflows, m.v[M_LISTEN_OVERFLOWS])
		TH_LOG("the MPTCP listener's accept queue did not overflow");
	TH_LOG("MPTCP listener: ListenOverflows +%" PRIu64,
	       m.v[M_LISTEN_OVERFLOWS] - overflows);
	check_foreign(_metadata, self, foreign0 + 1, "MPTCP listener full");
	/* None of it is charged to the TCP listener. */
	ASSERT_EQ(0, nq_lookup(l->cookie, &row));
	for (c = NQSTAT_CTR_HANDSHAKES_COMPLETED; c <= NQSTAT_CTR_MAX; c++) {
		EXPECT_EQ(0, row.ctr[c])
			TH_LOG("the TCP listener's %s moved with the MPTCP listener's traffic",
			       ctr_name(c));
	}
	/* MPTCP's own accept() still works. */
	pfd.fd = self->mfd;
	ASSERT_EQ(1, poll(&pfd, 1, 2000));
	c = accept(self->mfd, NULL, NULL);
	ASSERT_LE(0, c);
	close(c);

	/*
	 * Quiet again, then the TCP listener's traffic. The MPTCP listener
	 * goes too: a client whose final ACK overflowed its queue is
	 * established, and its FIN, retransmitted with backoff, would be
	 * one more final ACK to that queue, counted in ListenOverflows at
	 * any time (seen on a slow debug kernel, after mib_settle()). With
	 * the listener closed, its request sockets answer with a reset.
	 * It stays counted as foreign: that count is of listeners seen.
	 */
	close(self->mfd);
	self->mfd = -1;
	for (i = 0; i < w->nclients; i++)
		close(w->clients[i]);
	w->nclients = 0;
	ASSERT_EQ(0, mib_settle(&m));
	ASSERT_EQ(0, baseline(w));
	ASSERT_EQ(0, clients(w, l, AF_INET, "127.0.0.1", 2, true));
	c = accept_wait(l, 2000);
	ASSERT_LE(0, c);
	close(c);
	ASSERT_EQ(0, clients(w, l, AF_INET, "127.0.0.1", 2, true));
	ASSERT_EQ(0, clients(w, l, AF_INET, "127.0.0.1", 5, false));
	usleep(300000);
	check(_metadata, w, "TCP listener beside the MPTCP one", &s);
	r = nq_rows_find(&s.rows, l->cookie);
	if (r)
		EXPECT_LE(3, r->ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	nq_rows_free(&s.rows);
	check_foreign(_metadata, self, foreign0 + 1, "after the TCP traffic");
}

TEST_HARNESS_MAIN
