// SPDX-License-Identifier: GPL-2.0
/*
 * The listener field table: every value of a listener row that show and
 * report print, in text, JSON and Prometheus. One entry per value; the
 * order is the JSON order.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "out/field.h"
#include "out/report.h"

#define ROW(row) ((const struct nq_lrow *)(row))
#define L(row) (ROW(row)->l)

NQ_GET_U(netns, L(row)->netns_inode)
NQ_GET_U(netns_cookie, L(row)->netns_cookie)
NQ_GET_U(cookie, L(row)->cookie)
NQ_GET_U(port, L(row)->port)
NQ_GET_U(ifindex, L(row)->ifindex)
NQ_GET_U(backlog, L(row)->backlog)
NQ_GET_U(acceptq_len, L(row)->acceptq_len)
NQ_GET_U(synq_len, L(row)->synq_len)
NQ_GET_U(acceptq_peak, L(row)->acceptq_peak)
NQ_GET_U(synq_peak, L(row)->synq_peak)
NQ_GET_U(acceptq_peak_reset, L(row)->acceptq_peak_reset)
NQ_GET_U(synq_peak_reset, L(row)->synq_peak_reset)
NQ_GET_U(kernel_drops, L(row)->kernel_drops)

static void get_kernel_drops_rate(const void *row, struct nq_val *v)
{
	if (ROW(row)->r)
		nq_val_d(v, ROW(row)->r->kernel_drops);
}
NQ_GET_U(reset_ms, L(row)->reset_ms)
NQ_GET_U(closed_ms, L(row)->closed_ms)

#define GET_CTR(name, ctr) \
NQ_GET_U(name, L(row)->counters[ctr]) \
static void get_##name##_rate(const void *row, struct nq_val *v) \
{ \
	if (ROW(row)->r) \
		nq_val_d(v, ROW(row)->r->v[ctr]); \
}

GET_CTR(handshakes_completed, NQSTAT_CTR_HANDSHAKES_COMPLETED)
GET_CTR(accepted, NQSTAT_CTR_ACCEPTED)
GET_CTR(syn_queue_drops, NQSTAT_CTR_SYN_QUEUE_DROPS)
GET_CTR(syn_cookies_sent, NQSTAT_CTR_SYN_COOKIES_SENT)
GET_CTR(syn_backlog_drops, NQSTAT_CTR_SYN_BACKLOG_DROPS)
GET_CTR(accept_queue_drops_syn, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN)
GET_CTR(accept_queue_overflows, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS)
GET_CTR(accept_queue_overflow_resets,
	NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS)
GET_CTR(other_drops, NQSTAT_CTR_OTHER_DROPS)
GET_CTR(synack_retransmits, NQSTAT_CTR_SYNACK_RETRANSMITS)

static void get_family(const void *row, struct nq_val *v)
{
	if (nq_known(L(row)->family))
		v->s = format_family((uint8_t)L(row)->family);
	v->known = v->s;
}

static void get_addr(const void *row, struct nq_val *v)
{
	const struct nq_listener *l = L(row);

	if (l->addr_len && !format_addr(v->buf, sizeof(v->buf),
					(uint8_t)l->family, l->addr))
		v->s = v->buf;
	v->known = v->s;
}

static void get_dev(const void *row, struct nq_val *v)
{
	v->s = ROW(row)->dev;
	v->known = v->s;
}

static void get_state(const void *row, struct nq_val *v)
{
	if (nq_known(L(row)->state))
		v->s = format_state_json((uint8_t)L(row)->state);
	v->known = v->s;
}

static void get_backlog_source(const void *row, struct nq_val *v)
{
	if (nq_known(L(row)->backlog_source))
		v->s = format_backlog_source_json(
			(uint8_t)L(row)->backlog_source);
	v->known = v->s;
}

/* "0.0.0.0:80", "[::1]%lo:80": ss(8)'s form. */
static void get_endpoint(const void *row, struct nq_val *v)
{
	const struct nq_listener *l = L(row);

	if (l->addr_len &&
	    !format_endpoint(v->buf, sizeof(v->buf), (uint8_t)l->family,
			     l->addr, nq_known(l->port) ? (uint16_t)l->port : 0,
			     ROW(row)->dev))
		v->s = v->buf;
	v->known = v->s;
}

static void pair(struct nq_val *v, uint64_t a, uint64_t b)
{
	v->s = format_pair(v->buf, sizeof(v->buf), nq_known(a), a,
			   nq_known(b), b);
	v->known = true;
}

static void get_acceptq(const void *row, struct nq_val *v)
{
	pair(v, L(row)->acceptq_len, L(row)->backlog);
}

/* The accept-queue limit also bounds the SYN queue. */
static void get_synq(const void *row, struct nq_val *v)
{
	pair(v, L(row)->synq_len, L(row)->backlog);
}

static void get_peaks(const void *row, struct nq_val *v)
{
	pair(v, L(row)->acceptq_peak_reset, L(row)->synq_peak_reset);
}

static void get_drops_total(const void *row, struct nq_val *v)
{
	v->known = nq_drops_total(L(row), &v->u);
}

static void get_drops_rate(const void *row, struct nq_val *v)
{
	if (ROW(row)->r)
		nq_val_d(v, ROW(row)->r->drops_total);
}

static void get_dropped_by(const void *row, struct nq_val *v)
{
	v->s = format_dropped_by(v->buf, sizeof(v->buf), L(row)->counters) ?
	       "?" : v->buf;
	v->known = true;
}

static void get_dropped_by_rate(const void *row, struct nq_val *v)
{
	if (!ROW(row)->r)
		return;
	v->s = format_dropped_by_rates(v->buf, sizeof(v->buf),
				       ROW(row)->r->v) ? "?" : v->buf;
	v->known = true;
}

/* The peak of the window: since the last reset, else since first seen. */
static uint64_t high(uint64_t since_reset, uint64_t since_seen)
{
	return nq_known(since_reset) ? since_reset : since_seen;
}

static void get_acceptq_high(const void *row, struct nq_val *v)
{
	nq_val_u(v, high(L(row)->acceptq_peak_reset, L(row)->acceptq_peak));
}

static void get_synq_high(const void *row, struct nq_val *v)
{
	nq_val_u(v, high(L(row)->synq_peak_reset, L(row)->synq_peak));
}

/* 1 - peak / (limit + 1): the kernel's checks use '>'. */
static void headroom(struct nq_val *v, uint64_t peak, uint64_t limit)
{
	double use;

	if (nq_known(peak) && nq_known(limit) &&
	    nq_queue_use((uint32_t)peak, (uint32_t)limit, &use))
		nq_val_d(v, 1 - use);
}

static void get_acceptq_headroom(const void *row, struct nq_val *v)
{
	headroom(v, high(L(row)->acceptq_peak_reset, L(row)->acceptq_peak),
		 L(row)->backlog);
}

static void get_synq_headroom(const void *row, struct nq_val *v)
{
	headroom(v, high(L(row)->synq_peak_reset, L(row)->synq_peak),
		 L(row)->backlog);
}

/* [{"pid": 812, "command": "nginx", "unit": ..., "cgroup": ...}] */
static void json_processes(struct json *j, const void *row)
{
	size_t i;

	json_arr_begin(j);
	for (i = 0; i < ROW(row)->n_procs; i++) {
		const struct nq_proc *p = &ROW(row)->procs[i];

		json_obj_begin(j);
		json_kv_u64(j, "pid", (uint64_t)p->pid);
		json_kv_str(j, "command", p->comm[0] ? p->comm : NULL);
		json_kv_str(j, "unit", p->unit);
		json_kv_str(j, "cgroup", p->cgroup);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* -p: "nginx/812(nginx.service),..."; unknown without -p. */
static void get_processes(const void *row, struct nq_val *v)
{
	if (!ROW(row)->procs_wanted)
		return;
	v->s = ROW(row)->n_procs ?
	       nq_procs_format(v->buf, sizeof(v->buf), ROW(row)->procs,
			       ROW(row)->n_procs) : "-";
	v->json = json_processes;
	v->known = true;
}

#define S "listener."
#define R TABLE_RIGHT
#define LEFT TABLE_LEFT
#define D NQ_FF_DEFAULT
#define RATE NQ_FF_RATE
#define TXT NQ_FF_TEXT

/*
 * A counter, exported as nqstat_<prom> (a counter, "_total"), with fixed
 * labels when several counters make one family (by reason).
 */
#define CTR(key, title, flags, help, prom) \
	{ #key, title, prom, "counter", "", help, S #key, NQ_FT_U64, R, \
	  flags, get_##key }, \
	{ #key "_per_second", NULL, NULL, NULL, "1/s", help " Per second.", \
	  NULL, NQ_FT_RATE, R, RATE, get_##key##_rate }

/* The listener_drops_total family: every drop, by queue and reason. */
#define DROPS "listener_drops_total"

const struct nq_prom_family nq_prom_families[] = {
	{ DROPS,
	  "Connections the listener's queues dropped, by queue and reason, since first seen or reset." },
};

const size_t nq_n_prom_families = sizeof(nq_prom_families) /
				  sizeof(nq_prom_families[0]);
const struct nq_field nq_listener_fields[] = {
	{ "netns", "Netns", NULL, NULL, "", "Inode of the network namespace.",
	  S "netns_inode", NQ_FT_U64, R, NQ_FF_ALL_NETNS, get_netns },
	{ "netns_cookie", "Netns-Cookie", NULL, NULL, "",
	  "Cookie of the network namespace.", S "netns_cookie", NQ_FT_U64, R,
	  0, get_netns_cookie },
	{ "state", "State", NULL, NULL, "", "listening or closed.", S "state",
	  NQ_FT_STR, LEFT, D, get_state },
	{ "endpoint", "Local Address:Port", NULL, NULL, "",
	  "Address, device and port as ss(8) prints them.", NULL, NQ_FT_STR,
	  LEFT, D | TXT, get_endpoint },
	{ "family", "Family", NULL, NULL, "", "inet or inet6.", S "family",
	  NQ_FT_STR, LEFT, 0, get_family },
	{ "addr", "Address", NULL, NULL, "", "The bound address.", S "addr",
	  NQ_FT_STR, LEFT, 0, get_addr },
	{ "port", "Port", NULL, NULL, "", "The local port.", S "port",
	  NQ_FT_U64, R, 0, get_port },
	{ "ifindex", "Ifindex", NULL, NULL, "",
	  "SO_BINDTODEVICE interface index, 0 for none.", S "ifindex",
	  NQ_FT_U64, R, 0, get_ifindex },
	{ "dev", "Device", NULL, NULL, "",
	  "The interface's name, when the tool can resolve it.", NULL,
	  NQ_FT_STR, LEFT, 0, get_dev },
	{ "acceptq", "Accept-Q", NULL, NULL, "",
	  "Accept queue length / limit.", NULL, NQ_FT_STR, R, D | TXT,
	  get_acceptq },
	{ "synq", "Syn-Q", NULL, NULL, "", "SYN queue length / limit.", NULL,
	  NQ_FT_STR, R, D | TXT, get_synq },
	{ "peaks", "Peak A/S", NULL, NULL, "",
	  "Accept and SYN queue peaks since the last reset.", NULL, NQ_FT_STR,
	  R, D | TXT, get_peaks },
	{ "backlog", "Backlog", "listener_backlog", "gauge", "",
	  "Accept-queue limit, min(listen() backlog, somaxconn); it also bounds the SYN queue.",
	  S "backlog", NQ_FT_U64, R, 0, get_backlog },
	{ "backlog_source", "Backlog-By", NULL, NULL, "",
	  "What set the limit: application, somaxconn or both.",
	  S "backlog_source", NQ_FT_STR, LEFT, 0, get_backlog_source },
	{ "acceptq_len", "Acceptq-Len", "listener_accept_queue_length", "gauge", "",
	  "Children waiting for accept().", S "acceptq_len", NQ_FT_U64, R, 0,
	  get_acceptq_len },
	{ "synq_len", "Synq-Len", "listener_syn_queue_length", "gauge", "",
	  "Requests waiting for their final ACK.", S "synq_len", NQ_FT_U64, R,
	  0, get_synq_len },
	{ "acceptq_peak", "Acceptq-Peak", NULL, NULL, "",
	  "Longest accept queue since first seen.", S "acceptq_peak",
	  NQ_FT_U64, R, 0, get_acceptq_peak },
	{ "synq_peak", "Synq-Peak", NULL, NULL, "",
	  "Longest SYN queue since first seen.", S "synq_peak", NQ_FT_U64, R,
	  0, get_synq_peak },
	{ "acceptq_peak_reset", "Acceptq-Peak-R", NULL, NULL, "",
	  "Longest accept queue since the last reset.",
	  S "acceptq_peak_reset", NQ_FT_U64, R, 0, get_acceptq_peak_reset },
	{ "synq_peak_reset", "Synq-Peak-R", NULL, NULL, "",
	  "Longest SYN queue since the last reset.", S "synq_peak_reset",
	  NQ_FT_U64, R, 0, get_synq_peak_reset },
	{ "acceptq_high", "Peak-A", "listener_accept_queue_peak", "gauge", "",
	  "Longest accept queue seen since the last reset (or first seen).",
	  NULL, NQ_FT_U64, R, 0, get_acceptq_high },
	{ "synq_high", "Peak-S", "listener_syn_queue_peak", "gauge", "",
	  "Longest SYN queue seen since the last reset (or first seen).",
	  NULL, NQ_FT_U64, R, 0, get_synq_high },
	{ "acceptq_headroom", "Headroom-A", NULL, NULL, "ratio",
	  "1 - accept queue peak / (backlog + 1): 0 means the queue was full.",
	  NULL, NQ_FT_RATIO, R, 0, get_acceptq_headroom },
	{ "synq_headroom", "Headroom-S", NULL, NULL, "ratio",
	  "1 - SYN queue peak / (backlog + 1): 0 means the queue was full.",
	  NULL, NQ_FT_RATIO, R, 0, get_synq_headroom },
	{ "drops_total", "Drops", NULL, NULL, "",
	  "Connections the listener's queues dropped, since first seen or reset.",
	  NULL, NQ_FT_U64, R, D, get_drops_total },
	{ "drops_per_second", "Drops/s", NULL, NULL, "1/s", "Drop rate over the report's window.", NULL, NQ_FT_RATE, R,
	  D | RATE, get_drops_rate },
	{ "dropped_by", "Dropped by", NULL, NULL, "",
	  "The drops by kind: synq, syn-backlog, acceptq(syn), acceptq(ack)(rst), other.",
	  NULL, NQ_FT_STR, LEFT, D | TXT, get_dropped_by },
	{ "dropped_by_per_second", "Dropped by/s", NULL, NULL, "1/s",
	  "The same per second.", NULL, NQ_FT_STR, LEFT, D | TXT | RATE,
	  get_dropped_by_rate },
	{ "handshakes_completed", "Handshakes", "listener_handshakes_total",
	  "counter", "", "Handshakes completed, since first seen or reset.",
	  S "handshakes_completed", NQ_FT_U64, R, D,
	  get_handshakes_completed },
	{ "handshakes_completed_per_second", "Handshakes/s", NULL, NULL,
	  "1/s",
	  "Handshakes completed per second over the report's window.", NULL,
	  NQ_FT_RATE, R, D | RATE, get_handshakes_completed_rate },
	{ "accepted", "Accepted", "listener_accepted_total", "counter", "",
	  "Connections accept()ed.", S "accepted", NQ_FT_U64, R, D,
	  get_accepted },
	{ "accepted_per_second", "Accepted/s", NULL, NULL, "1/s",
	  "Connections accept()ed per second over the report's window.", NULL,
	  NQ_FT_RATE, R, D | RATE, get_accepted_rate },
	CTR(syn_queue_drops, "Synq-Drops", 0,
	    "SYNs dropped: the SYN queue was full (syncookies off).",
	    DROPS "{queue=\"syn\",reason=\"syn_queue_full\"}"),
	CTR(syn_cookies_sent, "Cookies", 0,
	    "SYN cookies sent: the SYN queue was full.",
	    "listener_syn_cookies_sent_total"),
	CTR(syn_backlog_drops, "Syn-Backlog", 0,
	    "SYNs dropped by the tcp_max_syn_backlog rule.",
	    DROPS "{queue=\"syn\",reason=\"max_syn_backlog\"}"),
	CTR(accept_queue_drops_syn, "Acceptq-Syn", 0,
	    "SYNs dropped: the accept queue was full.",
	    DROPS "{queue=\"accept\",reason=\"syn\"}"),
	CTR(accept_queue_overflows, "Acceptq-Ack", 0,
	    "Final ACKs dropped: the accept queue was full.",
	    DROPS "{queue=\"accept\",reason=\"final_ack\"}"),
	CTR(accept_queue_overflow_resets, "Acceptq-Rst", 0,
	    "Of those, answered with a reset (tcp_abort_on_overflow).",
	    "listener_accept_queue_overflow_resets_total"),
	CTR(other_drops, "Other-Drops", 0,
	    "The rest of the listener's ListenDrops.",
	    DROPS "{queue=\"none\",reason=\"other\"}"),
	CTR(synack_retransmits, "SynAck-Rtx", 0, "SYN-ACKs retransmitted.",
	    "listener_synack_retransmits_total"),
	{ "kernel_drops", "Kernel-Drops", "listener_socket_drops_total",
	  "counter", "",
	  "The socket's own drop count (sk_drops).", S "kernel_drops",
	  NQ_FT_U64, R, 0, get_kernel_drops },
	{ "kernel_drops_per_second", "Kernel-Drops/s", NULL, NULL, "1/s",
	  "The socket's own drops (sk_drops) per second over the report's window.",
	  NULL, NQ_FT_RATE, R, RATE, get_kernel_drops_rate },
	{ "reset_ms", "Reset-ms", NULL, NULL, "ms",
	  "Milliseconds since the counters were last reset.", S "reset_msecs",
	  NQ_FT_U64, R, 0, get_reset_ms },
	{ "closed_ms", "Closed-ms", NULL, NULL, "ms",
	  "Milliseconds since the listener closed.", S "closed_msecs",
	  NQ_FT_U64, R, 0, get_closed_ms },
	{ "cookie", "Cookie", NULL, NULL, "", "The socket cookie.", S "cookie",
	  NQ_FT_U64, R, 0, get_cookie },
	{ "processes", "Process", NULL, NULL, "",
	  "-p: the processes holding the socket, command/pid(systemd unit or cgroup path).",
	  NULL, NQ_FT_STR, LEFT, NQ_FF_OMIT, get_processes },
};

const size_t nq_n_listener_fields = sizeof(nq_listener_fields) /
				    sizeof(nq_listener_fields[0]);

_Static_assert(sizeof(nq_listener_fields) / sizeof(nq_listener_fields[0]) <=
	       NQ_MAX_FIELDS, "NQ_MAX_FIELDS too small");
