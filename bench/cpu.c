// SPDX-License-Identifier: GPL-2.0
/*
 * Machine CPU time and the monotonic clock.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "nqbench.h"

int nqb_cpu_read(struct nqb_cpu *c)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "re");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user,
		   &nice, &sys, &idle, &iowait, &irq, &softirq, &steal);
	fclose(f);
	if (n != 8 || hz <= 0)
		return -1;
	c->busy_ms = (user + nice + sys + irq + softirq + steal) * 1000 / hz;
	c->kernel_ms = (sys + irq + softirq) * 1000 / hz;
	return 0;
}

/*
 * Until the machine is idle (at least 90% in each of five windows of 200 ms
 * in a row, at most 20 s): the work a previous run left behind (network
 * namespaces being torn down, probes being unregistered) must not land in
 * the next measurement. One idle window is not enough: a namespace's
 * teardown waits for RCU grace periods and timers between its bursts.
 */
void nqb_idle_wait(void)
{
	struct nqb_cpu a, b;
	int i, idle = 0;

	for (i = 0; i < 100 && idle < 5; i++) {
		if (nqb_cpu_read(&a))
			return;
		usleep(200000);
		if (nqb_cpu_read(&b))
			return;
		/* busy ms of all CPUs over 200 ms of each */
		if ((b.busy_ms - a.busy_ms) * 10 <= 200 * (uint64_t)sysconf(_SC_NPROCESSORS_ONLN))
			idle++;
		else
			idle = 0;
	}
}

double nqb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
