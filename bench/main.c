// SPDX-License-Identifier: GPL-2.0
/*
 * nqbench: the workloads of `make bench`.
 *
 *   nqbench crr [-d SECS] [-c CLIENTS]   connections per second (TCP_CRR)
 *   nqbench flood [-d SECS]              SYNs per second at a full listener
 *   nqbench listen [-n N] [CMD...]       N listeners, their memory, run CMD
 *
 * Each runs in a fresh network namespace (root).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nqbench.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: nqbench crr [-d SECS] [-c CLIENTS]\n"
		"       nqbench flood [-d SECS]\n"
		"       nqbench listen [-n N] [CMD [ARG...]]\n");
	return 2;
}

int main(int argc, char *argv[])
{
	double secs = 5;
	long n = 10000;
	int clients = 2, opt;
	const char *mode;

	if (argc < 2)
		return usage();
	mode = argv[1];
	argv++;
	argc--;
	/* "+": options end at CMD of listen */
	while ((opt = getopt(argc, argv, "+d:c:n:")) != -1) {
		switch (opt) {
		case 'd':
			secs = atof(optarg);
			break;
		case 'c':
			clients = atoi(optarg);
			break;
		case 'n':
			n = atol(optarg);
			break;
		default:
			return usage();
		}
	}
	if (secs <= 0 || n < 1)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "crr"))
		return nqb_crr(clients, secs);
	if (!strcmp(mode, "flood"))
		return nqb_flood(secs);
	if (!strcmp(mode, "listen"))
		return nqb_listen(n, argv + optind);
	return usage();
}
