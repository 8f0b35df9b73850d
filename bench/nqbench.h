/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nqbench: the workloads of `make bench` (scripts/bench.sh). Each mode runs
 * in a fresh network namespace for a fixed duration and prints one line of
 * key=value results.
 */
#ifndef NQBENCH_H
#define NQBENCH_H

#include <stdint.h>

/* CPU time of the whole machine, from the "cpu" line of /proc/stat. */
struct nqb_cpu {
	uint64_t busy_ms;	/* user + nice + system + irq + softirq + steal */
	uint64_t kernel_ms;	/* system + irq + softirq */
};

int nqb_cpu_read(struct nqb_cpu *c);
/* Returns once the machine is (nearly) idle. */
void nqb_idle_wait(void);
/* Bytes of all slab objects in use (/proc/slabinfo), or -1. */
long long nqb_slab_bytes(void);
/* Seconds on CLOCK_MONOTONIC. */
double nqb_now(void);

/* Accept, read the request, write the reply, close; until killed. */
void nqb_server_run(int lfd);
/* Short connections to 127.0.0.1:@port until @deadline; returns their
 * number, or -1 on an error. */
long nqb_client_run(uint16_t port, double deadline);

int nqb_crr(int clients, double secs);
int nqb_flood(double secs);
int nqb_listen(long n, char *const cmd[]);

#endif /* NQBENCH_H */
