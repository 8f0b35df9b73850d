/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_PEAK_H
#define NQSTAT_PEAK_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/types.h>

/*
 * Raise *@peak to @val if it is higher, from any context, lock-free. The
 * hot paths pay one load and one compare in the common case: no change.
 */
static inline void nq_peak_update(u32 *peak, u32 val)
{
	u32 old = READ_ONCE(*peak);

	while (unlikely(val > old) && !try_cmpxchg(peak, &old, val))
		;
}

#endif /* NQSTAT_PEAK_H */
