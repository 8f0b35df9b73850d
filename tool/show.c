// SPDX-License-Identifier: GPL-2.0
/*
 * "show": the listener table, once or every interval (watch mode).
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "format.h"
#include "json.h"
#include "listeners.h"
#include "nqstat.h"
#include "parse.h"
#include "table.h"

/* The counters, in display order. */
static const struct counter {
	unsigned int type;	/* enum nqstat_counter */
	const char *json;
	const char *title;
} counters[] = {
	{ NQSTAT_CTR_HANDSHAKES_COMPLETED, "handshakes_completed",
	  "Handshakes" },
};

#define N_COUNTERS (sizeof(counters) / sizeof(counters[0]))

/* Rates of one listener over the last interval (watch mode). */
struct rates {
	uint32_t present;	/* NQ_BIT(NQSTAT_CTR_*) */
	double v[NQSTAT_CTR_MAX + 1];
};

struct show {
	const struct options *o;
	struct nq_nl *nl;
	struct nq_dump_req req;
	bool have_self;		/* self_netns is known */
	uint32_t self_netns;	/* inode of our network namespace */
};

/* "%name" suffix for a listener bound to a device, or NULL. */
static const char *device(const struct show *s, const struct nq_listener *l,
			  char *buf)
{
	bool local;

	if (!nq_has(l->present, NQSTAT_A_LISTENER_IFINDEX) || !l->ifindex)
		return NULL;
	/* Interface indexes only mean something in their own namespace. */
	local = !s->o->all_netns ||
		(s->have_self &&
		 nq_has(l->present, NQSTAT_A_LISTENER_NETNS_INODE) &&
		 l->netns_inode == s->self_netns);
	if (local && if_indextoname(l->ifindex, buf))
		return buf;
	snprintf(buf, IF_NAMESIZE, "if%u", l->ifindex);
	return buf;
}

static int add_row(struct table *t, const struct show *s,
		   const struct nq_listener *l, const struct rates *r)
{
	char ep[FORMAT_ENDPOINT_LEN], num[FORMAT_NUM_LEN], dev[IF_NAMESIZE];
	const char *state = "-";
	size_t i;
	int ret = 0;

	if (s->o->all_netns)
		ret |= table_add(t, format_counter(num, sizeof(num),
			nq_has(l->present, NQSTAT_A_LISTENER_NETNS_INODE),
			l->netns_inode));
	if (nq_has(l->present, NQSTAT_A_LISTENER_STATE)) {
		state = format_state_table(l->state);
		if (!state)
			state = "UNKNOWN";
	}
	ret |= table_add(t, state);
	if (!nq_has(l->present, NQSTAT_A_LISTENER_ADDR) ||
	    format_endpoint(ep, sizeof(ep), l->family, l->addr,
			    nq_has(l->present, NQSTAT_A_LISTENER_PORT) ?
			    l->port : 0, device(s, l, dev)) < 0)
		snprintf(ep, sizeof(ep), "-");
	ret |= table_add(t, ep);
	ret |= table_add(t, format_counter(num, sizeof(num),
		nq_has(l->present, NQSTAT_A_LISTENER_BACKLOG), l->backlog));
	for (i = 0; i < N_COUNTERS; i++) {
		unsigned int c = counters[i].type;

		ret |= table_add(t, format_counter(num, sizeof(num),
			nq_has(l->counters_present, c), l->counters[c]));
		if (r)
			ret |= table_add(t, format_rate(num, sizeof(num),
				nq_has(r->present, c), r->v[c]));
	}
	ret |= table_add(t, format_counter(num, sizeof(num),
		nq_has(l->present, NQSTAT_A_LISTENER_COOKIE),
		l->cookie));
	return ret ? -ENOMEM : 0;
}

static int print_table(const struct show *s, const struct nq_listeners *ls,
		       const struct rates *rates)
{
	struct table_col cols[4 + 2 * N_COUNTERS + 1];
	char (*titles)[32] = NULL;
	struct table *t = NULL;
	size_t n = 0, i;
	int ret = -ENOMEM;

	if (rates) {
		titles = calloc(N_COUNTERS, sizeof(*titles));
		if (!titles)
			goto out;
	}
	if (s->o->all_netns)
		cols[n++] = (struct table_col){ "Netns", TABLE_RIGHT };
	cols[n++] = (struct table_col){ "State", TABLE_LEFT };
	cols[n++] = (struct table_col){ "Local Address:Port", TABLE_LEFT };
	cols[n++] = (struct table_col){ "Backlog", TABLE_RIGHT };
	for (i = 0; i < N_COUNTERS; i++) {
		cols[n++] = (struct table_col){ counters[i].title,
						TABLE_RIGHT };
		if (rates) {
			snprintf(titles[i], sizeof(titles[i]), "%s/s",
				 counters[i].title);
			cols[n++] = (struct table_col){ titles[i],
							TABLE_RIGHT };
		}
	}
	cols[n++] = (struct table_col){ "Cookie", TABLE_RIGHT };

	t = table_new(cols, n);
	if (!t)
		goto out;
	for (i = 0; i < ls->n; i++) {
		ret = add_row(t, s, &ls->v[i], rates ? &rates[i] : NULL);
		if (ret < 0)
			goto out;
	}
	ret = table_print(t, stdout, "", true);
out:
	table_free(t);
	free(titles);
	if (ret < 0)
		nq_err("cannot print the listeners: %s", strerror(-ret));
	return ret;
}

static void json_listener(struct json *j, const struct nq_listener *l,
			  const struct rates *r)
{
	char addr[INET6_ADDRSTRLEN];
	const char *state = NULL;
	bool has_addr;
	size_t i;

	has_addr = nq_has(l->present, NQSTAT_A_LISTENER_ADDR) &&
		   !format_addr(addr, sizeof(addr), l->family, l->addr);
	if (nq_has(l->present, NQSTAT_A_LISTENER_STATE))
		state = format_state_json(l->state);

	json_obj_begin(j);
	json_kv_u64_opt(j, "netns_inode",
			nq_has(l->present, NQSTAT_A_LISTENER_NETNS_INODE),
			l->netns_inode);
	json_kv_u64_opt(j, "netns_cookie",
			nq_has(l->present, NQSTAT_A_LISTENER_NETNS_COOKIE),
			l->netns_cookie);
	json_kv_u64_opt(j, "cookie",
			nq_has(l->present, NQSTAT_A_LISTENER_COOKIE), l->cookie);
	json_kv_str(j, "family",
		    nq_has(l->present, NQSTAT_A_LISTENER_FAMILY) ?
		    format_family(l->family) : NULL);
	json_kv_str(j, "address", has_addr ? addr : NULL);
	json_kv_u64_opt(j, "port", nq_has(l->present, NQSTAT_A_LISTENER_PORT),
			l->port);
	json_kv_u64_opt(j, "ifindex",
			nq_has(l->present, NQSTAT_A_LISTENER_IFINDEX),
			l->ifindex);
	json_kv_str(j, "state", state);
	json_kv_u64_opt(j, "backlog",
			nq_has(l->present, NQSTAT_A_LISTENER_BACKLOG),
			l->backlog);
	json_kv_u64_opt(j, "closed_ms",
			nq_has(l->present, NQSTAT_A_LISTENER_CLOSED_MSECS),
			l->closed_ms);
	json_key(j, "counters");
	json_obj_begin(j);
	for (i = 0; i < N_COUNTERS; i++) {
		unsigned int c = counters[i].type;

		json_kv_u64_opt(j, counters[i].json,
				nq_has(l->counters_present, c), l->counters[c]);
	}
	json_obj_end(j);
	if (r) {
		json_key(j, "rates");
		json_obj_begin(j);
		for (i = 0; i < N_COUNTERS; i++) {
			unsigned int c = counters[i].type;

			json_kv_double_opt(j, counters[i].json,
					   nq_has(r->present, c), r->v[c], 3);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* elapsed_ns is only used with rates. */
static int print_json(const struct show *s, const struct nq_listeners *ls,
		      const struct rates *rates, uint64_t elapsed_ns)
{
	struct json *j = json_new(stdout, s->o->pretty);
	size_t i;
	int ret;

	if (!j) {
		nq_err("cannot print the listeners: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	json_obj_begin(j);
	if (rates)
		json_kv_u64(j, "elapsed_ms", elapsed_ns / 1000000);
	json_key(j, "listeners");
	json_arr_begin(j);
	for (i = 0; i < ls->n; i++)
		json_listener(j, &ls->v[i], rates ? &rates[i] : NULL);
	json_arr_end(j);
	json_obj_end(j);
	ret = json_end(j);
	if (ret < 0)
		nq_err("cannot print the listeners: %s", strerror(-ret));
	return ret;
}

static int print(const struct show *s, const struct nq_listeners *ls,
		 const struct rates *rates, uint64_t elapsed_ns)
{
	if (s->o->json)
		return print_json(s, ls, rates, elapsed_ns);
	return print_table(s, ls, rates);
}

static int dump(struct show *s, struct nq_listeners *ls)
{
	int ret;

	nq_listeners_clear(ls);
	ret = nq_nl_get_listeners(s->nl, &s->req, ls);
	if (ret == -EPERM && s->req.all_netns)
		nq_nl_perror(s->nl, ret,
			     "cannot list the listeners of all namespaces",
			     "run as root or drop -a");
	else if (ret < 0)
		nq_nl_perror(s->nl, ret, "cannot list the listeners", NULL);
	if (ret < 0)
		return ret;
	nq_listeners_sort(ls);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* Cannot fail with a valid clock and pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
}

/*
 * Waits until the monotonic clock reaches deadline_ns or a signal of set
 * (blocked) arrives. Returns 1 for a signal, 0 at the deadline.
 */
static int wait_until(uint64_t deadline_ns, const sigset_t *set)
{
	for (;;) {
		uint64_t now = now_ns(), left;
		struct timespec ts;

		left = deadline_ns > now ? deadline_ns - now : 0;
		ts.tv_sec = (time_t)(left / 1000000000U);
		ts.tv_nsec = (long)(left % 1000000000U);
		if (sigtimedwait(set, NULL, &ts) >= 0)
			return 1;
		if (errno == EAGAIN)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

static void compute_rates(const struct nq_listeners *cur,
			  const struct nq_index *prev, uint64_t elapsed_ns,
			  struct rates *rates)
{
	size_t i, k;

	for (i = 0; i < cur->n; i++) {
		const struct nq_listener *l = &cur->v[i], *p = NULL;

		rates[i].present = 0;
		if (nq_has(l->present, NQSTAT_A_LISTENER_COOKIE))
			p = nq_index_find(prev, l->cookie);
		if (!p)
			continue;	/* new listener: no rate yet */
		for (k = 0; k < N_COUNTERS; k++) {
			unsigned int c = counters[k].type;

			if (nq_rate(p, l, c, elapsed_ns, &rates[i].v[c]))
				rates[i].present |= NQ_BIT(c);
		}
	}
}

/*
 * Every interval, dumps again and prints totals with the rates over the
 * interval, until the count is reached or SIGINT/SIGTERM arrives.
 */
static int watch(struct show *s)
{
	const uint64_t interval_ns = (uint64_t)s->o->interval_ms * 1000000U;
	struct nq_listeners a = { 0 }, b = { 0 };
	struct nq_listeners *prev = &a, *cur = &b, *tmp;
	struct rates *rates = NULL;
	struct nq_index idx;
	uint64_t t_prev, t_cur, deadline;
	unsigned int n;
	sigset_t set;
	int ret;

	/*
	 * SIGINT and SIGTERM stay blocked and are taken by sigtimedwait(),
	 * so that one arriving at any time ends the loop cleanly.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		nq_err("cannot block signals: %s", strerror(errno));
		return EXIT_ERROR;
	}

	ret = dump(s, prev);
	t_prev = now_ns();
	deadline = t_prev;
	for (n = 0; !ret && (!s->o->count || n < s->o->count); n++) {
		deadline += interval_ns;
		ret = wait_until(deadline, &set);
		if (ret) {
			if (ret < 0)
				nq_err("cannot wait: %s", strerror(-ret));
			ret = ret < 0 ? ret : 0;
			break;
		}
		ret = dump(s, cur);
		if (ret < 0)
			break;
		t_cur = now_ns();
		/* Fell behind (stopped, slow output): skip missed reports. */
		if (deadline + interval_ns < t_cur)
			deadline = t_cur;

		free(rates);
		rates = calloc(cur->n ? cur->n : 1, sizeof(*rates));
		if (!rates || nq_index_build(&idx, prev) < 0) {
			nq_err("cannot compute rates: %s", strerror(ENOMEM));
			ret = -ENOMEM;
			break;
		}
		compute_rates(cur, &idx, t_cur - t_prev, rates);
		nq_index_free(&idx);

		/* Text reports are separated by an empty line. */
		if (n && !s->o->json)
			putchar('\n');
		ret = print(s, cur, rates, t_cur - t_prev);
		if (ret < 0)
			break;
		if (fflush(stdout) == EOF) {
			ret = -errno;
			nq_err("cannot write output: %s", strerror(-ret));
			break;
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
		t_prev = t_cur;
	}
	free(rates);
	nq_listeners_free(&a);
	nq_listeners_free(&b);
	return ret < 0 ? EXIT_ERROR : 0;
}

int cmd_show(const struct options *o, int argc, char *argv[])
{
	struct show s = { .o = o };
	struct nq_listeners ls = { 0 };
	char err[512];
	struct stat st;
	int ret;

	if (parse_show_args(argc, argv, &s.req.filter, err, sizeof(err)) < 0)
		return nq_usage_error("%s", err);
	s.req.all_netns = o->all_netns;

	ret = nq_connect(o, &s.nl);
	if (ret)
		return ret;
	/* After nq_connect(), which may have changed the namespace. */
	if (o->all_netns && !stat("/proc/self/ns/net", &st)) {
		s.have_self = true;
		s.self_netns = (uint32_t)st.st_ino;
	}

	if (o->interval_ms) {
		ret = watch(&s);
	} else {
		ret = dump(&s, &ls);
		if (!ret)
			ret = print(&s, &ls, NULL, 0);
		ret = ret < 0 ? EXIT_ERROR : 0;
	}
	nq_listeners_free(&ls);
	nq_nl_close(s.nl);
	return ret;
}
