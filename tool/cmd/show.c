// SPDX-License-Identifier: GPL-2.0
/*
 * "show": the listener table, once or every interval (watch mode).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/counters.h"
#include "out/format.h"
#include "out/json.h"
#include "model/listeners.h"
#include "cmd/cmd.h"
#include "cmd/parse.h"
#include "out/table.h"
#include "cmd/watch.h"

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

	if (!nq_known(l->ifindex) || !l->ifindex)
		return NULL;
	/* Interface indexes only mean something in their own namespace. */
	local = !s->o->all_netns ||
		(s->have_self &&
		 nq_known(l->netns_inode) &&
		 l->netns_inode == s->self_netns);
	if (local && if_indextoname(l->ifindex, buf))
		return buf;
	snprintf(buf, IF_NAMESIZE, "if%" PRIu64 "", l->ifindex);
	return buf;
}

/* Columns of the table, in order. */
enum col {
	COL_NETNS,		/* -a only */
	COL_STATE,
	COL_ENDPOINT,
	COL_ACCEPTQ,
	COL_SYNQ,
	COL_PEAKS,
	COL_DROPS,
	COL_DROPS_RATE,		/* watch mode only */
	COL_DROPPED_BY,
	COL_DROPPED_BY_RATE,	/* watch mode only */
	COL_HANDSHAKES,
	COL_HANDSHAKES_RATE,	/* watch mode only */
	COL_ACCEPTED,
	COL_ACCEPTED_RATE,	/* watch mode only */
	COL_COOKIES,
	COL_SYNACK_RTX,
	COL_KERNEL_DROPS,
	COL_BACKLOG_BY,
	COL_COOKIE,
	N_COLS
};

static const struct table_col all_cols[N_COLS] = {
	[COL_NETNS] = { "Netns", TABLE_RIGHT },
	[COL_STATE] = { "State", TABLE_LEFT },
	[COL_ENDPOINT] = { "Local Address:Port", TABLE_LEFT },
	[COL_ACCEPTQ] = { "Accept-Q", TABLE_RIGHT },
	[COL_SYNQ] = { "Syn-Q", TABLE_RIGHT },
	[COL_PEAKS] = { "Peak A/S", TABLE_RIGHT },
	[COL_DROPS] = { "Drops", TABLE_RIGHT },
	[COL_DROPS_RATE] = { "Drops/s", TABLE_RIGHT },
	[COL_DROPPED_BY] = { "Dropped by", TABLE_LEFT },
	[COL_DROPPED_BY_RATE] = { "Dropped by/s", TABLE_LEFT },
	[COL_HANDSHAKES] = { "Handshakes", TABLE_RIGHT },
	[COL_HANDSHAKES_RATE] = { "Handshakes/s", TABLE_RIGHT },
	[COL_ACCEPTED] = { "Accepted", TABLE_RIGHT },
	[COL_ACCEPTED_RATE] = { "Accepted/s", TABLE_RIGHT },
	[COL_COOKIES] = { "Cookies", TABLE_RIGHT },
	[COL_SYNACK_RTX] = { "SynAck-Rtx", TABLE_RIGHT },
	[COL_KERNEL_DROPS] = { "Kernel-Drops", TABLE_RIGHT },
	[COL_BACKLOG_BY] = { "Backlog-By", TABLE_LEFT },
	[COL_COOKIE] = { "Cookie", TABLE_RIGHT },
};

static bool col_shown(enum col c, bool all_netns, bool rates)
{
	switch (c) {
	case COL_NETNS:
		return all_netns;
	case COL_DROPS_RATE:
	case COL_DROPPED_BY_RATE:
	case COL_HANDSHAKES_RATE:
	case COL_ACCEPTED_RATE:
		return rates;
	default:
		return true;
	}
}

static const char *counter_cell(char *buf, size_t len,
				const struct nq_listener *l, unsigned int c)
{
	return format_counter(buf, len, nq_known(l->counters[c]),
			      l->counters[c]);
}

static const char *rate_cell(char *buf, size_t len, const struct nq_rates *r,
			     unsigned int c)
{
	return format_rate(buf, len, !isnan(r->v[c]), r->v[c]);
}

/* The text of cell c of row (buf holds at least FORMAT_DROPPED_BY_LEN). */
static const char *cell(const struct show *s, const struct nq_row *row,
			enum col c, char *buf, size_t len)
{
	const struct nq_listener *l = row->l;
	const struct nq_rates *r = row->r;
	char dev[IF_NAMESIZE];
	const char *name;
	uint64_t total = 0;
	bool has_total;

	switch (c) {
	case COL_NETNS:
		return format_counter(buf, len,
			nq_known(l->netns_inode),
			l->netns_inode);
	case COL_STATE:
		if (!nq_known(l->state))
			return "-";
		name = format_state_table(l->state);
		return name ? name : "UNKNOWN";
	case COL_ENDPOINT:
		if (!(l->addr_len != 0) ||
		    format_endpoint(buf, len, l->family, l->addr,
				    nq_known(l->port) ?
				    l->port : 0, device(s, l, dev)) < 0)
			return "-";
		return buf;
	case COL_ACCEPTQ:
		return format_pair(buf, len,
			nq_known(l->acceptq_len),
			l->acceptq_len,
			nq_known(l->backlog),
			l->backlog);
	case COL_SYNQ:
		/* The accept-queue limit also bounds the SYN queue. */
		return format_pair(buf, len,
			nq_known(l->synq_len),
			l->synq_len,
			nq_known(l->backlog),
			l->backlog);
	case COL_PEAKS:
		return format_pair(buf, len,
			nq_known(l->acceptq_peak_reset),
			l->acceptq_peak_reset,
			nq_known(l->synq_peak_reset),
			l->synq_peak_reset);
	case COL_DROPS:
		/* Not in the call: argument evaluation order is unspecified. */
		has_total = nq_drops_total(l, &total);
		return format_counter(buf, len, has_total, total);
	case COL_DROPS_RATE:
		return format_rate(buf, len, !isnan(r->drops_total),
				   r->drops_total);
	case COL_DROPPED_BY:
		if (format_dropped_by(buf, len,
				      l->counters) < 0)
			return "?";
		return buf;
	case COL_DROPPED_BY_RATE:
		if (format_dropped_by_rates(buf, len, r->v) < 0)
			return "?";
		return buf;
	case COL_HANDSHAKES:
		return counter_cell(buf, len, l,
				    NQSTAT_CTR_HANDSHAKES_COMPLETED);
	case COL_HANDSHAKES_RATE:
		return rate_cell(buf, len, r, NQSTAT_CTR_HANDSHAKES_COMPLETED);
	case COL_ACCEPTED:
		return counter_cell(buf, len, l, NQSTAT_CTR_ACCEPTED);
	case COL_ACCEPTED_RATE:
		return rate_cell(buf, len, r, NQSTAT_CTR_ACCEPTED);
	case COL_COOKIES:
		return counter_cell(buf, len, l, NQSTAT_CTR_SYN_COOKIES_SENT);
	case COL_SYNACK_RTX:
		return counter_cell(buf, len, l, NQSTAT_CTR_SYNACK_RETRANSMITS);
	case COL_KERNEL_DROPS:
		return format_counter(buf, len,
			nq_known(l->kernel_drops),
			l->kernel_drops);
	case COL_BACKLOG_BY:
		name = nq_known(l->backlog_source) ?
		       format_backlog_source_table(l->backlog_source) : NULL;
		return name ? name : "-";
	case COL_COOKIE:
		return format_counter(buf, len,
			nq_known(l->cookie),
			l->cookie);
	case N_COLS:
		break;
	}
	return "-";
}

static int print_table(const struct show *s, const struct nq_row *rows,
		       size_t n_rows, bool rates)
{
	struct table_col cols[N_COLS];
	enum col shown[N_COLS];
	char buf[FORMAT_DROPPED_BY_LEN];
	struct table *t = NULL;
	size_t n = 0, i, k;
	int ret = -ENOMEM;

	_Static_assert(FORMAT_DROPPED_BY_LEN >= FORMAT_ENDPOINT_LEN &&
		       FORMAT_DROPPED_BY_LEN >= FORMAT_NUM_LEN,
		       "cell buffer too small");
	for (k = 0; k < N_COLS; k++) {
		if (!col_shown(k, s->o->all_netns, rates))
			continue;
		shown[n] = k;
		cols[n++] = all_cols[k];
	}
	t = table_new(cols, n);
	if (!t)
		goto out;
	for (i = 0; i < n_rows; i++) {
		for (k = 0; k < n; k++) {
			ret = table_add(t, cell(s, &rows[i], shown[k], buf,
						sizeof(buf)));
			if (ret < 0)
				goto out;
		}
	}
	ret = table_print(t, stdout, "", true);
out:
	table_free(t);
	if (ret < 0)
		nq_err("cannot print the listeners: %s", strerror(-ret));
	return ret;
}

static void json_listener(struct json *j, const struct nq_listener *l,
			  const struct nq_rates *r)
{
	char addr[INET6_ADDRSTRLEN];
	const char *state = NULL, *source = NULL;
	bool has_addr, has_total;
	uint64_t total = 0;
	size_t i;

	has_addr = (l->addr_len != 0) &&
		   !format_addr(addr, sizeof(addr), l->family, l->addr);
	if (nq_known(l->state))
		state = format_state_json(l->state);
	if (nq_known(l->backlog_source))
		source = format_backlog_source_json(l->backlog_source);

	json_obj_begin(j);
	json_kv_u64_opt(j, "netns_inode",
			nq_known(l->netns_inode),
			l->netns_inode);
	json_kv_u64_opt(j, "netns_cookie",
			nq_known(l->netns_cookie),
			l->netns_cookie);
	json_kv_u64_opt(j, "cookie",
			nq_known(l->cookie), l->cookie);
	json_kv_str(j, "family",
		    nq_known(l->family) ?
		    format_family(l->family) : NULL);
	json_kv_str(j, "address", has_addr ? addr : NULL);
	json_kv_u64_opt(j, "port", nq_known(l->port),
			l->port);
	json_kv_u64_opt(j, "ifindex",
			nq_known(l->ifindex),
			l->ifindex);
	json_kv_str(j, "state", state);
	json_kv_u64_opt(j, "backlog",
			nq_known(l->backlog),
			l->backlog);
	json_kv_str(j, "backlog_source", source);
	json_kv_u64_opt(j, "acceptq_len",
			nq_known(l->acceptq_len),
			l->acceptq_len);
	json_kv_u64_opt(j, "synq_len",
			nq_known(l->synq_len),
			l->synq_len);
	json_kv_u64_opt(j, "acceptq_peak",
			nq_known(l->acceptq_peak),
			l->acceptq_peak);
	json_kv_u64_opt(j, "synq_peak",
			nq_known(l->synq_peak),
			l->synq_peak);
	json_kv_u64_opt(j, "acceptq_peak_since_reset",
			nq_known(l->acceptq_peak_reset),
			l->acceptq_peak_reset);
	json_kv_u64_opt(j, "synq_peak_since_reset",
			nq_known(l->synq_peak_reset),
			l->synq_peak_reset);
	json_kv_u64_opt(j, "kernel_drops",
			nq_known(l->kernel_drops),
			l->kernel_drops);
	json_kv_u64_opt(j, "reset_ms",
			nq_known(l->reset_ms),
			l->reset_ms);
	json_kv_u64_opt(j, "closed_ms",
			nq_known(l->closed_ms),
			l->closed_ms);
	json_key(j, "counters");
	json_obj_begin(j);
	for (i = 0; i < nq_n_counters; i++) {
		unsigned int c = nq_counters[i].type;

		json_kv_u64_opt(j, nq_counters[i].json,
				nq_known(l->counters[c]), l->counters[c]);
	}
	has_total = nq_drops_total(l, &total);
	json_kv_u64_opt(j, NQ_DROPS_TOTAL_JSON, has_total, total);
	json_obj_end(j);
	if (r) {
		json_key(j, "rates");
		json_obj_begin(j);
		for (i = 0; i < nq_n_counters; i++) {
			unsigned int c = nq_counters[i].type;

			json_kv_double_opt(j, nq_counters[i].json,
					   !isnan(r->v[c]), r->v[c], 3);
		}
		json_kv_double_opt(j, NQ_DROPS_TOTAL_JSON, !isnan(r->drops_total),
				   r->drops_total, 3);
		json_obj_end(j);
	}
	json_obj_end(j);
}

/* elapsed_ns is only used with rates. */
static int print_json(const struct show *s, const struct nq_row *rows,
		      size_t n_rows, bool rates, uint64_t elapsed_ns)
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
	for (i = 0; i < n_rows; i++)
		json_listener(j, rows[i].l, rows[i].r);
	json_arr_end(j);
	json_obj_end(j);
	ret = json_end(j);
	if (ret < 0)
		nq_err("cannot print the listeners: %s", strerror(-ret));
	return ret;
}

/*
 * Prints the listeners of ls, with rates[i] for ls->v[i] in watch mode
 * (rates not NULL), in display order.
 */
static int print(const struct show *s, const struct nq_listeners *ls,
		 const struct nq_rates *rates, uint64_t elapsed_ns)
{
	struct nq_row *rows;
	size_t i;
	int ret;

	rows = calloc(ls->n ? ls->n : 1, sizeof(*rows));
	if (!rows) {
		nq_err("cannot print the listeners: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < ls->n; i++) {
		rows[i].l = &ls->v[i];
		rows[i].r = rates ? &rates[i] : NULL;
	}
	nq_rows_sort(rows, ls->n);
	if (s->o->json)
		ret = print_json(s, rows, ls->n, rates != NULL, elapsed_ns);
	else
		ret = print_table(s, rows, ls->n, rates != NULL);
	free(rows);
	return ret;
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
	return ret < 0 ? ret : 0;
}

static void compute_rates(const struct nq_listeners *cur,
			  const struct nq_index *prev, uint64_t elapsed_ns,
			  struct nq_rates *rates)
{
	size_t i;

	for (i = 0; i < cur->n; i++) {
		const struct nq_listener *l = &cur->v[i], *p = NULL;

		nq_rates_init(&rates[i]);
		if (nq_known(l->cookie))
			p = nq_index_find(prev, l->cookie);
		if (p)		/* else a new listener: no rate yet */
			nq_rates_compute(p, l, elapsed_ns, &rates[i]);
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
	struct nq_rates *rates = NULL;
	struct nq_index idx;
	uint64_t t_prev, t_cur, deadline;
	unsigned int n;
	sigset_t set;
	int ret;

	ret = watch_block_signals(&set);
	if (ret < 0) {
		nq_err("cannot block signals: %s", strerror(-ret));
		return EXIT_ERROR;
	}

	ret = dump(s, prev);
	t_prev = watch_now_ns();
	deadline = t_prev;
	for (n = 0; !ret && (!s->o->count || n < s->o->count); n++) {
		deadline += interval_ns;
		ret = watch_wait_until(deadline, &set);
		if (ret) {
			if (ret < 0)
				nq_err("cannot wait: %s", strerror(-ret));
			ret = ret < 0 ? ret : 0;
			break;
		}
		ret = dump(s, cur);
		if (ret < 0)
			break;
		t_cur = watch_now_ns();
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
