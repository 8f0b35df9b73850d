/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TCP peer in user space behind a TUN device: the test writes the peer's
 * packets (SYN, final ACK) into the kernel and reads the kernel's answers,
 * so it decides exactly which handshakes complete and when.
 */
#ifndef NQ_PEER_H
#define NQ_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

struct nq_peer {
	int fd;
	int family;
	char ifname[16];
	unsigned char local[16], remote[16];	/* kernel side, peer side */
	const char *local_str;			/* the kernel's address */
};

/* A packet the kernel sent to the peer. */
struct nq_seg {
	uint16_t sport, dport;	/* kernel's port, peer's port */
	uint32_t seq, ack;
	uint8_t flags;
};

#define NQ_FIN 0x01
#define NQ_SYN 0x02
#define NQ_RST 0x04
#define NQ_ACK 0x10

/* Create the device in the current namespace; addresses 10.9.0.1 and
 * fd00:9::1 are the kernel's, .2 the peer's. */
int nq_peer_open(struct nq_peer *p, int family);
void nq_peer_close(struct nq_peer *p);
int nq_peer_send(struct nq_peer *p, uint16_t sport, uint16_t dport,
		 uint32_t seq, uint32_t ack, uint8_t flags);
/* The next segment to the peer with the given flags, or -ETIMEDOUT. */
int nq_peer_recv(struct nq_peer *p, uint8_t flags, int timeout_ms,
		 struct nq_seg *seg);
/* SYN from peer port @sport; the SYN-ACK's sequence number in *isn. */
int nq_peer_syn(struct nq_peer *p, uint16_t sport, uint16_t dport,
		uint32_t *isn);
/* The final ACK of the handshake started by nq_peer_syn(). */
int nq_peer_ack(struct nq_peer *p, uint16_t sport, uint16_t dport,
		uint32_t isn);
/* Segments to the peer with the given flags within @ms. */
int nq_peer_count(struct nq_peer *p, uint8_t flags, int ms);

/*
 * nq_peer_send() to another address of the kernel's side, @dst (4 or 16
 * bytes, the peer's family): a broadcast or multicast destination.
 */
int nq_peer_send_to(struct nq_peer *p, const void *dst, uint16_t sport,
		    uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags);

/*
 * nq_peer_send() with @len bytes of payload (at most 256) after the TCP
 * header: with NQ_SYN, a Fast Open SYN with data and no cookie option.
 */
int nq_peer_send_data(struct nq_peer *p, uint16_t sport, uint16_t dport,
		      uint32_t seq, uint32_t ack, uint8_t flags,
		      const void *data, unsigned int len);

#endif /* NQ_PEER_H */
