/* SPDX-License-Identifier: MIT */
/* Private to src/nl: the socket internals that sock.c and batch.c share. */
#ifndef NFK_NL_SOCK_H
#define NFK_NL_SOCK_H

#include <sys/types.h>

#include "nl.h"

/* Dump skbs are at most 32 KiB and acks are tiny, so 1 MiB is ample; a
 * bigger datagram grows the buffer (see nfk_sock_recv). */
#define NFK_SOCK_RXBUF (1u << 20)

struct nfk_sock {
	int fd;
	uint32_t portid;
	uint32_t seq;
	uint8_t *rx;
	size_t rx_cap;
	int sndbuf;          /* last size we asked for, to only ever grow */
	int rcvbuf;
	nfk_progress_cb progress;
	void *progress_arg;
	uint64_t received;   /* set elements received in dumps so far */
};

/* Receives one datagram into s->rx.  Returns its length, or -errno
 * (-EAGAIN when nonblocking and nothing is queued, -ENOBUFS when the
 * kernel dropped messages because the receive buffer overflowed). */
ssize_t nfk_sock_recv(struct nfk_sock *s, bool nonblock);

/* Grows SO_SNDBUF/SO_RCVBUF to at least the given sizes (0: leave). */
int nfk_sock_grow_bufs(struct nfk_sock *s, size_t snd, size_t rcv);

/* The content of one NLMSG_ERROR message. */
struct nfk_nlerr {
	int error;           /* 0 for an ACK, else negative errno */
	int32_t attr_off;    /* NLMSGERR_ATTR_OFFS or -1 */
	const char *msg;     /* NLMSGERR_ATTR_MSG inside the message, or NULL */
	uint32_t miss_type;  /* NLMSGERR_ATTR_MISS_TYPE or 0 */
};

/* Parses an NLMSG_ERROR message (length already checked against its
 * datagram).  0 or -EBADMSG when it is too short or malformed. */
int nfk_nlerr_parse(const struct nlmsghdr *nlh, struct nfk_nlerr *e);

#endif
