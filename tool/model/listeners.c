// SPDX-License-Identifier: GPL-2.0
/*
 * Arrays of listeners: growth, ordering, lookup and rates.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/counters.h"
#include "model/listeners.h"

int nq_listeners_push(struct nq_listeners *ls, const struct nq_listener *l)
{
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 16;
		struct nq_listener *v;

		if (cap > SIZE_MAX / sizeof(*v))
			return -ENOMEM;
		v = realloc(ls->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		ls->v = v;
		ls->cap = cap;
	}
	ls->v[ls->n++] = *l;
	return 0;
}

void nq_listeners_clear(struct nq_listeners *ls)
{
	ls->n = 0;
}

void nq_listeners_free(struct nq_listeners *ls)
{
	free(ls->v);
	memset(ls, 0, sizeof(*ls));
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* Absent sorts before present; two absent values are equal. */
static int cmp_opt(uint64_t va, uint64_t vb)
{
	bool ha = nq_known(va), hb = nq_known(vb);

	if (ha != hb)
		return ha ? 1 : -1;
	return ha ? cmp_u64(va, vb) : 0;
}

static uint64_t family_rank(uint64_t family)
{
	if (!nq_known(family))
		return NQ_UNKNOWN;
	return family == AF_INET ? 0 : family == AF_INET6 ? 1 : 2;
}

int nq_listener_cmp(const struct nq_listener *a, const struct nq_listener *b)
{
	int r;

	r = cmp_opt(a->port, b->port);
	if (r)
		return r;
	r = cmp_opt(family_rank(a->family), family_rank(b->family));
	if (r)
		return r;
	r = cmp_opt(a->addr_len ? 0 : NQ_UNKNOWN, b->addr_len ? 0 : NQ_UNKNOWN);
	if (r)
		return r;
	if (a->addr_len) {
		r = memcmp(a->addr, b->addr, sizeof(a->addr));
		if (r)
			return r < 0 ? -1 : 1;
	}
	r = cmp_opt(a->netns_inode, b->netns_inode);
	if (r)
		return r;
	return cmp_opt(a->cookie, b->cookie);
}

static int qsort_cmp(const void *a, const void *b)
{
	return nq_listener_cmp(a, b);
}

void nq_listeners_sort(struct nq_listeners *ls)
{
	if (ls->n > 1)
		qsort(ls->v, ls->n, sizeof(*ls->v), qsort_cmp);
}

static int cookie_cmp(const void *a, const void *b)
{
	const struct nq_listener *const *la = a, *const *lb = b;

	return cmp_u64((*la)->cookie, (*lb)->cookie);
}

int nq_index_build(struct nq_index *idx, const struct nq_listeners *ls)
{
	size_t i;

	idx->n = 0;
	idx->v = NULL;
	if (!ls->n)
		return 0;
	idx->v = calloc(ls->n, sizeof(*idx->v));
	if (!idx->v)
		return -ENOMEM;
	for (i = 0; i < ls->n; i++)
		if (nq_known(ls->v[i].cookie))
			idx->v[idx->n++] = &ls->v[i];
	if (idx->n > 1)
		qsort(idx->v, idx->n, sizeof(*idx->v), cookie_cmp);
	return 0;
}

const struct nq_listener *nq_index_find(const struct nq_index *idx,
					uint64_t cookie)
{
	size_t lo = 0, hi = idx->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t c = idx->v[mid]->cookie;

		if (c == cookie)
			return idx->v[mid];
		if (c < cookie)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void nq_index_free(struct nq_index *idx)
{
	free(idx->v);
	idx->v = NULL;
	idx->n = 0;
}

bool nq_rate(const struct nq_listener *prev, const struct nq_listener *cur,
	     unsigned int ctr, uint64_t elapsed_ns, double *rate)
{
	if (ctr > NQSTAT_CTR_MAX || !elapsed_ns)
		return false;
	if (!nq_known(prev->counters[ctr]) || !nq_known(cur->counters[ctr]))
		return false;
	if (cur->counters[ctr] < prev->counters[ctr])
		return false;
	*rate = (double)(cur->counters[ctr] - prev->counters[ctr]) * 1e9 /
		(double)elapsed_ns;
	return true;
}

bool nq_reset_between(const struct nq_listener *prev,
		      const struct nq_listener *cur)
{
	if (!nq_known(cur->reset_ms))
		return false;
	return !nq_known(prev->reset_ms) ||
	       cur->reset_ms < prev->reset_ms;
}

void nq_rates_init(struct nq_rates *r)
{
	size_t i;

	r->drops_total = NAN;
	r->kernel_drops = NAN;
	for (i = 0; i <= NQSTAT_CTR_MAX; i++)
		r->v[i] = NAN;
}

void nq_rates_compute(const struct nq_listener *prev,
		      const struct nq_listener *cur, uint64_t elapsed_ns,
		      struct nq_rates *r)
{
	uint64_t tp, tc;
	unsigned int c;

	nq_rates_init(r);
	if (!elapsed_ns)
		return;
	if (nq_known(prev->kernel_drops) && nq_known(cur->kernel_drops) &&
	    cur->kernel_drops >= prev->kernel_drops)
		r->kernel_drops = (double)(cur->kernel_drops -
					   prev->kernel_drops) * 1e9 /
				  (double)elapsed_ns;
	if (nq_reset_between(prev, cur))
		return;
	for (c = NQSTAT_CTR_PAD + 1; c <= NQSTAT_CTR_MAX; c++)
		if (!nq_rate(prev, cur, c, elapsed_ns, &r->v[c]))
			r->v[c] = NAN;
	if (nq_drops_total(prev, &tp) && nq_drops_total(cur, &tc) && tc >= tp)
		r->drops_total = (double)(tc - tp) * 1e9 / (double)elapsed_ns;
}

/* Known before unknown, then the larger first. */
static int cmp_desc_u64(bool ha, uint64_t a, bool hb, uint64_t b)
{
	if (ha != hb)
		return ha ? -1 : 1;
	if (!ha || a == b)
		return 0;
	return a > b ? -1 : 1;
}

static int cmp_desc_double(bool ha, double a, bool hb, double b)
{
	if (ha != hb)
		return ha ? -1 : 1;
	if (!ha || a == b)
		return 0;
	return a > b ? -1 : 1;
}

int nq_row_cmp(const struct nq_row *a, const struct nq_row *b)
{
	uint64_t ta = 0, tb = 0;
	bool ha, hb;
	int r;

	if (a->r || b->r) {
		r = cmp_desc_double(a->r && !isnan(a->r->drops_total),
				    a->r ? a->r->drops_total : 0,
				    b->r && !isnan(b->r->drops_total),
				    b->r ? b->r->drops_total : 0);
		/* Without the module, the only drop rate: sk_drops'. */
		if (!r)
			r = cmp_desc_double(a->r && !isnan(a->r->kernel_drops),
					    a->r ? a->r->kernel_drops : 0,
					    b->r && !isnan(b->r->kernel_drops),
					    b->r ? b->r->kernel_drops : 0);
		if (r)
			return r;
	}
	ha = nq_drops_total(a->l, &ta);
	hb = nq_drops_total(b->l, &tb);
	r = cmp_desc_u64(ha, ta, hb, tb);
	if (r)
		return r;
	return nq_listener_cmp(a->l, b->l);
}

static int row_qsort_cmp(const void *a, const void *b)
{
	return nq_row_cmp(a, b);
}

void nq_rows_sort(struct nq_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows), row_qsort_cmp);
}
