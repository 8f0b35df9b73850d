// SPDX-License-Identifier: GPL-2.0
/*
 * Loopback TCP connection churn for scripts/tcg-patching.sh: two accept
 * loops and NCLIENTS connect/close loops for SECS seconds, in the kernel's
 * TCP receive and state-change paths, whose text the script's tracepoint
 * and kprobe toggling patches meanwhile.
 *
 *   tcg-churn SECS NCLIENTS
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 8

static void serve(int lfd)
{
	int c;

	for (;;) {
		c = accept(lfd, NULL, NULL);
		if (c >= 0)
			close(c);
	}
}

static void client(const struct sockaddr_in *a, int secs, int i)
{
	/* Reset on close: no TIME_WAIT pile-up on the client's ports. */
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	time_t end = time(NULL) + secs;
	long n = 0;
	int s;

	while (time(NULL) < end) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0)
			continue;
		setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		if (!connect(s, (const struct sockaddr *)a, sizeof(*a)))
			n++;
		close(s);
	}
	printf("churn client %d: %ld connections\n", i, n);
	fflush(stdout);
	_exit(0);
}

int main(int argc, char *argv[])
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int secs, n, i, lfd, one = 1;
	pid_t servers[2], clients[MAX_CLIENTS];

	if (argc != 3 || (secs = atoi(argv[1])) <= 0 ||
	    (n = atoi(argv[2])) <= 0 || n > MAX_CLIENTS) {
		fprintf(stderr, "usage: %s SECS NCLIENTS (1 to %d)\n", argv[0],
			MAX_CLIENTS);
		return 2;
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(4242);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(lfd, 1024)) {
		perror("listen");
		return 1;
	}
	for (i = 0; i < 2; i++)
		if (!(servers[i] = fork()))
			serve(lfd);
	for (i = 0; i < n; i++)
		if (!(clients[i] = fork()))
			client(&a, secs, i);
	for (i = 0; i < n; i++)
		waitpid(clients[i], NULL, 0);
	for (i = 0; i < 2; i++)
		kill(servers[i], SIGKILL);
	return 0;
}
