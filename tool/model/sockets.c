// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own figures of a namespace's sockets: parsers, no I/O.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/sockets.h"

static const char *const mib_names[NQ_N_MIB] = {
	[NQ_MIB_LISTEN_OVERFLOWS] = "ListenOverflows",
	[NQ_MIB_LISTEN_DROPS] = "ListenDrops",
	[NQ_MIB_REQQ_FULL_DROP] = "TCPReqQFullDrop",
	[NQ_MIB_REQQ_FULL_DO_COOKIES] = "TCPReqQFullDoCookies",
	[NQ_MIB_TW_OVERFLOW] = "TCPTimeWaitOverflow",
};

const char *nq_mib_name(unsigned int mib)
{
	return mib < NQ_N_MIB ? mib_names[mib] : NULL;
}

/* The next blank-separated word of *p: its start and length, 0 at end. */
static size_t word(const char **p, const char **w)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	*w = s;
	while (s[n] && !isspace((unsigned char)s[n]))
		n++;
	*p = s + n;
	return n;
}

/* A decimal number of 64 bits, the whole word. */
static int word_u64(const char *w, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned int)(w[i] - '0');

		if (!isdigit((unsigned char)w[i]) ||
		    x > (UINT64_MAX - d) / 10)
			return -EINVAL;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/* The rest is blanks and an optional newline. */
static bool at_end(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return !*p;
}

int nq_parse_netstat(const char *names, const char *values, uint64_t *mib,
		     uint32_t *present)
{
	const char *pn = names, *pv = values, *wn, *wv;
	uint64_t got[NQ_N_MIB];
	uint32_t bits = 0;
	size_t ln, lv;
	unsigned int i;

	ln = word(&pn, &wn);
	if (ln != strlen("TcpExt:") || strncmp(wn, "TcpExt:", ln))
		return -ENOENT;
	lv = word(&pv, &wv);
	if (lv != ln || strncmp(wv, wn, ln))
		return -EINVAL;
	for (;;) {
		uint64_t v;

		ln = word(&pn, &wn);
		lv = word(&pv, &wv);
		if (!ln || !lv)
			break;
		if (word_u64(wv, lv, &v) < 0)
			return -EINVAL;
		for (i = 0; i < NQ_N_MIB; i++)
			if (ln == strlen(mib_names[i]) &&
			    !strncmp(wn, mib_names[i], ln)) {
				got[i] = v;
				bits |= UINT32_C(1) << i;
			}
	}
	if (ln || lv || !at_end(pn) || !at_end(pv))
		return -EINVAL;		/* as many names as values */
	for (i = 0; i < NQ_N_MIB; i++)
		if (bits & (UINT32_C(1) << i))
			mib[i] = got[i];
	*present |= bits;
	return 0;
}

int nq_parse_sockstat_line(const char *line, uint64_t *orphans)
{
	const char *p = line, *w;
	size_t n;

	n = word(&p, &w);
	if (n != 4 || strncmp(w, "TCP:", 4))
		return -ENOENT;
	/* Pairs of a name and a number; "orphan" among them. */
	while ((n = word(&p, &w))) {
		bool is_orphan = n == 6 && !strncmp(w, "orphan", 6);
		const char *wv;
		size_t nv = word(&p, &wv);
		uint64_t v;

		if (word_u64(wv, nv, &v) < 0)
			return -EINVAL;
		if (is_orphan) {
			*orphans = v;
			return 0;
		}
	}
	return -EINVAL;
}

int nq_diag_list_push(struct nq_diag_list *l, const struct nq_diag_sock *d)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct nq_diag_sock *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *d;
	return 0;
}

void nq_diag_list_free(struct nq_diag_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void nq_listener_from_diag(const struct nq_diag_sock *d,
			   struct nq_listener *l)
{
	nq_listener_init(l);
	l->cookie = d->cookie;
	l->family = d->family;
	l->addr_len = d->family == AF_INET ? 4 : 16;
	memcpy(l->addr, d->addr, l->addr_len);
	l->port = d->port;
	l->state = NQSTAT_LISTENER_LISTENING;
	l->acceptq_len = d->rqueue;
	l->backlog = d->wqueue;
	if (d->has_drops)
		l->kernel_drops = d->drops;
}
