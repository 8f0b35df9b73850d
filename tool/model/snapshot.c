// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of one network namespace: containers and parsers, no I/O.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot.h"

static const char *const sys_names[NQ_N_SYS] = {
	[NQ_SYS_SOMAXCONN] = "net.core.somaxconn",
	[NQ_SYS_MAX_SYN_BACKLOG] = "net.ipv4.tcp_max_syn_backlog",
	[NQ_SYS_SYNCOOKIES] = "net.ipv4.tcp_syncookies",
	[NQ_SYS_ABORT_ON_OVERFLOW] = "net.ipv4.tcp_abort_on_overflow",
	[NQ_SYS_SYNACK_RETRIES] = "net.ipv4.tcp_synack_retries",
	[NQ_SYS_SYN_RETRIES] = "net.ipv4.tcp_syn_retries",
	[NQ_SYS_MAX_ORPHANS] = "net.ipv4.tcp_max_orphans",
	[NQ_SYS_TW_RECYCLE] = "net.ipv4.tcp_tw_recycle",
	[NQ_SYS_SYN_LINEAR_TIMEOUTS] = "net.ipv4.tcp_syn_linear_timeouts",
};

/* Keys of configuration files worth flagging: removed or never merged. */
static const char *const flagged_keys[] = {
	"net.ipv4.tcp_tw_recycle",
	"net.ipv4.tcp_tw_timeout",
};

const char *nq_sys_name(unsigned int sys)
{
	return sys < NQ_N_SYS ? sys_names[sys] : NULL;
}

void nq_snapshot_free(struct nq_snapshot *s)
{
	size_t i;

	if (s->has_netns)
		nq_netns_free(&s->ns);
	nq_listeners_free(&s->ls);
	free(s->close_wait);
	free(s->ldrops);
	free(s->cw_socks);
	for (i = 0; i < s->n_conf; i++) {
		free(s->conf[i].file);
		free(s->conf[i].key);
		free(s->conf[i].value);
	}
	free(s->conf);
	for (i = 0; i < s->n_settings; i++) {
		free(s->settings[i].file);
		free(s->settings[i].key);
		free(s->settings[i].value);
	}
	free(s->settings);
	memset(s, 0, sizeof(*s));
}

int nq_snapshot_set_module(struct nq_snapshot *s, struct nq_netns *ns,
			   const struct nq_listeners *ls)
{
	bool by_inode = nq_known(ns->inode);
	size_t i;
	int ret;

	nq_listeners_clear(&s->ls);
	for (i = 0; i < ls->n; i++) {
		const struct nq_listener *l = &ls->v[i];

		if (by_inode &&
		    nq_known(l->netns_inode) &&
		    l->netns_inode != ns->inode)
			continue;
		ret = nq_listeners_push(&s->ls, l);
		if (ret < 0)
			return ret;
	}
	nq_listeners_sort(&s->ls);
	if (s->has_netns)
		nq_netns_free(&s->ns);
	s->ns = *ns;
	s->has_netns = true;
	ns->dests = NULL;
	ns->n_dests = 0;
	return 0;
}

static const uint64_t *ct_counter(const struct nq_ct *ct, unsigned int attr)
{
	switch (attr) {
	case NQSTAT_A_CT_TABLE_FULL_DROPS:
		return &ct->table_full_drops;
	case NQSTAT_A_CT_EARLY_DROPS:
		return &ct->early_drops;
	case NQSTAT_A_CT_INSERT_FAILED:
		return &ct->insert_failed;
	case NQSTAT_A_CT_DROPS:
		return &ct->drops;
	default:
		return NULL;
	}
}

bool nq_ct_delta(const struct nq_ct *prev, const struct nq_ct *cur,
		 unsigned int attr, uint64_t *d)
{
	const uint64_t *p = ct_counter(prev, attr), *c = ct_counter(cur, attr);

	if (!p || !nq_known(*p) || !nq_known(*c) || *p > *c)
		return false;
	*d = *c - *p;
	return true;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int nq_parse_tcp_line(const char *line, struct nq_tcp_sock *sk)
{
	unsigned int port, state;
	uint64_t inode;
	int n = 0;

	/*
	 * sl local_address rem_address st tx_queue:rx_queue tr:tm->when
	 * retrnsmt uid timeout inode ...
	 */
	if (sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x"
		   " %*x:%*x %*x:%*x %*x %*u %*d %" SCNu64 "%n",
		   &port, &state, &inode, &n) != 3 || !n)
		return -EINVAL;
	if (port > UINT16_MAX || state > UINT8_MAX)
		return -EINVAL;
	sk->local_port = (uint16_t)port;
	sk->state = (uint8_t)state;
	sk->inode = inode;
	return 0;
}

int nq_parse_meminfo_line(const char *line, uint64_t *bytes)
{
	uint64_t kb;
	char unit[4];

	if (strncmp(line, "MemTotal:", 9))
		return -ENOENT;
	if (sscanf(line + 9, " %" SCNu64 " %3s", &kb, unit) != 2 ||
	    strcmp(unit, "kB") || kb > UINT64_MAX / 1024)
		return -EINVAL;
	*bytes = kb * 1024;
	return 0;
}

int nq_parse_ns_link(const char *target, uint64_t *inode)
{
	const char *p = target + strlen("net:[");
	uint64_t v = 0;

	/* Exactly "net:[DIGITS]", of 64 bits: no sign, blank or overflow. */
	if (strncmp(target, "net:[", strlen("net:[")) ||
	    !isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (strcmp(p, "]"))
		return -EINVAL;
	*inode = v;
	return 0;
}

static void copy_trimmed(char *dst, size_t len, const char *b, const char *e)
{
	size_t n;

	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - b);
	if (n >= len)
		n = len - 1;
	memcpy(dst, b, n);
	dst[n] = '\0';
}

int nq_parse_sysctl_conf_line(const char *line, char *key, size_t keylen,
			      char *value, size_t valuelen)
{
	const char *p = skip_space(line), *eq, *end;
	char *k;

	if (!keylen || !valuelen)
		return -EINVAL;
	if (!*p || *p == '\n' || *p == '#' || *p == ';')
		return 0;
	if (*p == '-')
		p = skip_space(p + 1);
	eq = strchr(p, '=');
	if (!eq || eq == p)
		return -EINVAL;
	copy_trimmed(key, keylen, p, eq);
	if (!key[0])
		return -EINVAL;
	/* sysctl.d(5): '/' separators are equivalent to '.'. */
	for (k = key; *k; k++)
		if (*k == '/')
			*k = '.';
	p = skip_space(eq + 1);
	end = p + strlen(p);
	copy_trimmed(value, valuelen, p, end);
	return 1;
}

bool nq_conf_key_flagged(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(flagged_keys) / sizeof(flagged_keys[0]); i++)
		if (!strcmp(key, flagged_keys[i]))
			return true;
	return false;
}

int nq_snapshot_add_sock(struct nq_snapshot *s, const struct nq_tcp_sock *sk)
{
	struct nq_port_count *v;
	size_t i;

	if (!sk->inode && sk->state != TCP_TIME_WAIT &&
	    sk->state != TCP_LISTEN) {
		s->orphans++;
		if (sk->state == TCP_FIN_WAIT2)
			s->fin_wait2_orphans++;
	}
	if (sk->state != TCP_CLOSE_WAIT)
		return 0;
	for (i = 0; i < s->n_close_wait; i++) {
		if (s->close_wait[i].port == sk->local_port) {
			s->close_wait[i].count++;
			return 0;
		}
	}
	v = realloc(s->close_wait, (s->n_close_wait + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->close_wait = v;
	v[s->n_close_wait].port = sk->local_port;
	v[s->n_close_wait].count = 1;
	s->n_close_wait++;
	return 0;
}

/* Room for one more of n elements in *p (capacity *cap, doubled). */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 64;
	void *v;

	if (n < *cap)
		return 0;
	v = realloc(*p, c * size);
	if (!v)
		return -ENOMEM;
	*p = v;
	*cap = c;
	return 0;
}

int nq_snapshot_add_diag(struct nq_snapshot *s, const struct nq_diag_sock *d)
{
	struct nq_tcp_sock sk = {
		.local_port = d->port, .state = d->state, .inode = d->inode,
	};
	struct nq_diag_sock *v;

	if (d->state == TCP_CLOSE_WAIT) {
		struct nq_sock_ref *r = s->cw_socks;

		if (grow((void **)&r, &s->cap_cw_socks, s->n_cw_socks,
			 sizeof(*r)))
			return -ENOMEM;
		s->cw_socks = r;
		r[s->n_cw_socks].cookie = d->cookie;
		r[s->n_cw_socks++].port = d->port;
	}
	if (d->state != TCP_LISTEN)
		return nq_snapshot_add_sock(s, &sk);
	s->n_diag_listeners++;
	if (!d->has_drops || !d->drops)
		return 0;
	v = s->ldrops;
	if (grow((void **)&v, &s->cap_ldrops, s->n_ldrops, sizeof(*v)))
		return -ENOMEM;
	s->ldrops = v;
	v[s->n_ldrops++] = *d;
	return 0;
}

static int ref_cmp(const void *pa, const void *pb)
{
	const struct nq_sock_ref *a = pa, *b = pb;

	return (a->cookie > b->cookie) - (a->cookie < b->cookie);
}

void nq_snapshot_sort_cw_socks(struct nq_snapshot *s)
{
	if (s->n_cw_socks)
		qsort(s->cw_socks, s->n_cw_socks, sizeof(*s->cw_socks),
		      ref_cmp);
}

bool nq_snapshot_has_cw(const struct nq_snapshot *s, uint64_t cookie)
{
	struct nq_sock_ref key = { .cookie = cookie };

	return s->n_cw_socks &&
	       bsearch(&key, s->cw_socks, s->n_cw_socks,
		       sizeof(*s->cw_socks), ref_cmp);
}

const struct nq_diag_sock *nq_snapshot_ldrop(const struct nq_snapshot *s,
					     uint64_t cookie)
{
	size_t i;

	for (i = 0; i < s->n_ldrops; i++)
		if (s->ldrops[i].cookie == cookie)
			return &s->ldrops[i];
	return NULL;
}

static int port_count_cmp(const void *pa, const void *pb)
{
	const struct nq_port_count *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (a->port > b->port) - (a->port < b->port);
}

void nq_snapshot_sort_close_wait(struct nq_snapshot *s)
{
	if (s->n_close_wait)
		qsort(s->close_wait, s->n_close_wait, sizeof(*s->close_wait),
		      port_count_cmp);
}

static int add_hit(struct nq_conf_hit **list, size_t *n, const char *file,
		   unsigned int line, const char *key, const char *value)
{
	struct nq_conf_hit *v, *h;

	v = realloc(*list, (*n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	*list = v;
	h = &v[*n];
	h->file = strdup(file);
	h->key = strdup(key);
	h->value = strdup(value);
	h->line = line;
	if (!h->file || !h->key || !h->value) {
		free(h->file);
		free(h->key);
		free(h->value);
		return -ENOMEM;
	}
	(*n)++;
	return 0;
}

int nq_snapshot_add_conf(struct nq_snapshot *s, const char *file,
			 unsigned int line, const char *key,
			 const char *value)
{
	return add_hit(&s->conf, &s->n_conf, file, line, key, value);
}

int nq_snapshot_add_setting(struct nq_snapshot *s, const char *file,
			    unsigned int line, const char *key,
			    const char *value)
{
	return add_hit(&s->settings, &s->n_settings, file, line, key, value);
}

bool nq_conf_after(const char *file, const char *dropin)
{
	const char *base = strrchr(file, '/');

	if (!strcmp(file, "/etc/sysctl.conf"))
		return true;
	return strcmp(base ? base + 1 : file, dropin) > 0;
}
