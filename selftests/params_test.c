// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: a value out of range is refused, at load (the module
 * does not load) and at run time (the value does not change), with a
 * message; the module is left loaded with its defaults.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

static long param_read(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/nqstat/parameters/%s", name);
	return nq_sysctl_read(path);
}

FIXTURE(params) {
	const char *ko;
};

FIXTURE_SETUP(params)
{
	self->ko = getenv("NQSTAT_KO");
	if (!self->ko)
		SKIP(return, "NQSTAT_KO is not set");
}

/* Loaded again with the defaults, as the suite expects. */
FIXTURE_TEARDOWN(params)
{
	if (!self->ko)
		return;
	if (nq_module_loaded())
		nq_module_unload("nqstat");
	nq_module_load(self->ko);
}

TEST_F(params, refused_at_load)
{
	static const char *const bad[] = {
		"max_listeners=0", "max_listeners=15",
		"max_listeners=1048577", "max_listeners=4294967296",
		"max_listeners=12abc", "max_listeners=-1",
		"grace_period=86401", "grace_period=-1", "grace_period=x",
		"disable_hooks=nosuch",
		"disable_hooks=sock:inet_sock_set_state",
	};
	size_t i;

	ASSERT_EQ(0, nq_module_unload("nqstat"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, nq_module_load_params(self->ko, bad[i]))
			TH_LOG("%s", bad[i]);
		EXPECT_FALSE(nq_module_loaded()) TH_LOG("%s", bad[i]);
		if (nq_module_loaded())
			nq_module_unload("nqstat");
	}
	/* The bounds themselves are fine. */
	ASSERT_EQ(0, nq_module_load_params(self->ko,
					   "max_listeners=16 grace_period=86400"));
	EXPECT_EQ(16, param_read("max_listeners"));
	EXPECT_EQ(86400, param_read("grace_period"));
	ASSERT_EQ(0, nq_module_unload("nqstat"));
	ASSERT_EQ(0, nq_module_load_params(self->ko,
					   "max_listeners=1048576 grace_period=0"));
	EXPECT_EQ(1048576, param_read("max_listeners"));
	EXPECT_EQ(0, param_read("grace_period"));
}

TEST_F(params, refused_at_run_time)
{
	static const char *const bad_max[] = {
		"0", "15", "1025", "1048576", "-1", "abc",
	};
	static const char *const bad_grace[] = { "86401", "-1", "1x" };
	size_t i;

	ASSERT_EQ(0, nq_module_unload("nqstat"));
	ASSERT_EQ(0, nq_module_load_params(self->ko, "max_listeners=1024"));
	for (i = 0; i < sizeof(bad_max) / sizeof(bad_max[0]); i++) {
		EXPECT_EQ(-EINVAL, nq_module_param_write("max_listeners",
							 bad_max[i]))
			TH_LOG("max_listeners=\"%s\"", bad_max[i]);
		EXPECT_EQ(1024, param_read("max_listeners"));
	}
	/* Lower, and back up to the value at load. */
	EXPECT_EQ(0, nq_module_param_write("max_listeners", "512"));
	EXPECT_EQ(512, param_read("max_listeners"));
	EXPECT_EQ(0, nq_module_param_write("max_listeners", "1024"));
	EXPECT_EQ(1024, param_read("max_listeners"));
	for (i = 0; i < sizeof(bad_grace) / sizeof(bad_grace[0]); i++) {
		EXPECT_EQ(-EINVAL, nq_module_param_write("grace_period",
							 bad_grace[i]))
			TH_LOG("grace_period=\"%s\"", bad_grace[i]);
		EXPECT_EQ(60, param_read("grace_period"));
	}
	EXPECT_EQ(0, nq_module_param_write("grace_period", "0"));
	EXPECT_EQ(0, param_read("grace_period"));
}

TEST_HARNESS_MAIN
