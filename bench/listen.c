// SPDX-License-Identifier: GPL-2.0
/*
 * Mode listen: @n TCP listeners in a fresh network namespace; prints the
 * kernel memory they took (/proc/slabinfo objects in use, /proc/meminfo
 * Slab and Percpu), then runs a command (a dump of them, say) in that
 * namespace before closing them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nqbench.h"
#include "nq_lib.h"

/* kB of the /proc/meminfo field @name, or -1. */
static long nqb_meminfo(const char *name)
{
	size_t len = strlen(name);
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

long long nqb_slab_bytes(void)
{
	unsigned long active, total, size;
	long long bytes = 0;
	char line[512], name[64];
	FILE *f = fopen("/proc/slabinfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &total,
			   &size) == 4)
			bytes += (long long)active * size;
	fclose(f);
	return bytes;
}

static void nqb_settle(void)
{
	sync();
	nq_sysctl_write("/proc/sys/vm/drop_caches", "3");
	usleep(200000);
}

int nqb_listen(long n, char *const cmd[])
{
	struct rlimit rl = { .rlim_cur = n + 64, .rlim_max = n + 64 };
	long long obj0, obj1;
	long slab0, pcpu0, slab1, pcpu1, i;
	uint16_t port;
	int *fds, status, rc = 0;
	pid_t pid;

	fds = calloc(n, sizeof(*fds));
	if (!fds || setrlimit(RLIMIT_NOFILE, &rl) || nq_netns_new() ||
	    nq_sysctl_write("/proc/sys/net/ipv4/ip_local_port_range",
			    "1024 65000")) {
		perror("nqbench: listen: set-up");
		return 1;
	}
	nqb_settle();
	obj0 = nqb_slab_bytes();
	slab0 = nqb_meminfo("Slab");
	pcpu0 = nqb_meminfo("Percpu");
	for (i = 0; i < n; i++) {
		port = 0;
		fds[i] = nq_listen(AF_INET, "127.0.0.1", 16, &port);
		if (fds[i] < 0) {
			fprintf(stderr, "nqbench: listener %ld: %d\n", i, fds[i]);
			return 1;
		}
	}
	nqb_settle();
	obj1 = nqb_slab_bytes();
	slab1 = nqb_meminfo("Slab");
	pcpu1 = nqb_meminfo("Percpu");
	/* Slab objects in use (slabinfo) is exact; Slab pages (meminfo)
	 * depend on what earlier runs left in the caches. */
	printf("listeners=%ld slab_obj_kb=%lld slab_kb=%ld percpu_kb=%ld bytes_per_listener=%.0f\n",
	       n, (obj1 - obj0) / 1024, slab1 - slab0, pcpu1 - pcpu0,
	       ((obj1 - obj0) + (pcpu1 - pcpu0) * 1024.0) / n);
	fflush(stdout);
	if (cmd[0]) {
		pid = fork();
		if (!pid) {
			execvp(cmd[0], cmd);
			perror("nqbench: listen: exec");
			_exit(127);
		}
		waitpid(pid, &status, 0);
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return rc;
}
