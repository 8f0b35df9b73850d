/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit tests of the parsers of nl/ (test_nl_*.c) share: a
 * generic netlink message of the nqstat family, built with libnl as the
 * module sends it.
 */
#ifndef NQSTAT_TESTS_TNL_H
#define NQSTAT_TESTS_TNL_H

#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl/nlparse.h"

#define FAMILY_ID 0x1c

static inline struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, 0, 1, FAMILY_ID, 0, 0, cmd,
				NQSTAT_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

#endif /* NQSTAT_TESTS_TNL_H */
