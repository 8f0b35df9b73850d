// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the message table of "recommend" (rules/messages.c): every
 * finding has a title, a reasoning and a risk, and the conversions of each
 * format are those of the arguments its rule passes (rules/messages.h),
 * which the compiler cannot check through the table.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "rules/messages.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The conversions of each format, one letter per argument: s (char *),
 * u (unsigned int), d (int), U (uint64_t, PRIu64).
 */
static const struct {
	enum rq_msg_id id;
	const char *reasoning, *risk;
} sig[] = {
	{ RQ_ACCEPT_SLOW, "sUU", "" },
	{ RQ_SYN_FLOOD, "sUU", "" },
	{ RQ_LISTEN_BACKLOG, "sUUUUsdsss", "uuU" },
	{ RQ_SOMAXCONN, "UUsdus", "Uuus" },
	{ RQ_SOMAXCONN_CLAMP, "sU", "" },
	{ RQ_SOMAXCONN_AT_MAX, "Uu", "" },
	{ RQ_SYNCOOKIES_OFF, "", "" },
	{ RQ_SYNCOOKIES_2, "", "" },
	{ RQ_MAX_SYN_BACKLOG, "Ud", "uU" },
	{ RQ_SYNACK_RETRIES, "UUUU", "U" },
	{ RQ_ABORT_ON_OVERFLOW, "", "" },
	{ RQ_TW_BUCKETS, "Ud", "uU" },
	{ RQ_PORT_RANGE, "Udu", "" },
	{ RQ_TW_REUSE, "Us", "" },
	{ RQ_CONN_REUSE, "", "" },
	{ RQ_TIMESTAMPS, "", "" },
	{ RQ_TW_RECYCLE, "", "" },
	{ RQ_CONF_TW_RECYCLE, "", "" },
	{ RQ_CONF_TW_TIMEOUT, "", "" },
	{ RQ_CT_MAX, "UdduuUU", "" },
	{ RQ_CT_MAX_AT_BUDGET, "dUu", "" },
	{ RQ_CT_BUCKETS, "ds", "u" },
	{ RQ_FIN_TIMEOUT, "Uu", "" },
	{ RQ_MAX_ORPHANS, "Uddu", "u" },
	{ RQ_CLOSE_WAIT, "", "" },
	{ RQ_SYN_RETRIES, "sUUUUu", "UU" },
	{ RQ_CONNECT_DEST, "s", "" },
	{ RQ_UNTRACKED_DROPS, "Uss", "" },
	{ RQ_KERNEL_LOSSES, "s", "" },
	{ RQ_NO_MODULE_LOSSES, "s", "" },
};

/* The conversions of fmt as letters into out; false for one not known. */
static bool conversions(const char *fmt, char *out, size_t len)
{
	size_t n = 0;
	const char *p;

	for (p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		if (n + 1 >= len)
			return false;
		if (*p == 's')
			out[n++] = 's';
		else if (*p == 'u')
			out[n++] = 'u';
		else if (*p == 'd')
			out[n++] = 'd';
		else if (!strncmp(p, "lu", 2) || !strncmp(p, "llu", 3)) {
			out[n++] = 'U';	/* PRIu64 on either ABI */
			p += p[1] == 'l' ? 2 : 1;
		} else
			return false;
	}
	out[n] = '\0';
	return true;
}

TEST(every_message)
{
	size_t i;

	ASSERT_EQ((size_t)RQ_N_MSG, N(sig));
	for (i = 0; i < RQ_N_MSG; i++) {
		const struct rq_msg *m = &rq_msgs[i];

		EXPECT_TRUE(m->sysctl || m->subject) TH_LOG("message %zu", i);
		EXPECT_NE(NULL, m->reasoning) TH_LOG("message %zu", i);
		EXPECT_NE(NULL, m->risk) TH_LOG("message %zu", i);
	}
}

TEST(format_conversions)
{
	char got[16];
	size_t i;

	for (i = 0; i < N(sig); i++) {
		const struct rq_msg *m = &rq_msgs[sig[i].id];

		ASSERT_TRUE(conversions(m->reasoning, got, sizeof(got)))
			TH_LOG("message %d", sig[i].id);
		EXPECT_STREQ(sig[i].reasoning, got)
			TH_LOG("message %d, reasoning", sig[i].id);
		ASSERT_TRUE(conversions(m->risk, got, sizeof(got)))
			TH_LOG("message %d", sig[i].id);
		EXPECT_STREQ(sig[i].risk, got)
			TH_LOG("message %d, risk", sig[i].id);
	}
}

/* A phrase the rules put into a format: no conversion of its own. */
TEST(parts)
{
	size_t i, k;

	for (i = 0; i < RQ_N_MSG; i++)
		for (k = 0; k < RQ_MAX_PARTS; k++)
			if (rq_msgs[i].parts[k])
				EXPECT_NULL(strchr(rq_msgs[i].parts[k], '%'))
					TH_LOG("message %zu, part %zu", i, k);
}

TEST_HARNESS_MAIN
