// SPDX-License-Identifier: MIT
/* The NETLINK_NETFILTER socket: open, receive, and request/dump. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "nl_sock.h"

int nfk_sock_open(struct nfk_sock **out)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	struct nfk_sock *s;
	int one = 1, ret;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = -1;
	s->rx_cap = NFK_SOCK_RXBUF;
	s->rx = malloc(s->rx_cap);
	if (!s->rx) {
		ret = -ENOMEM;
		goto fail;
	}
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &salen) < 0) {
		ret = -errno;
		goto fail;
	}
	/* Both are best effort: the ack parser copes with full echoes and
	 * with acks that carry no TLVs (kernels before 4.12). */
	setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	s->portid = sa.nl_pid;
	/* A fresh starting point keeps stale replies from an earlier process
	 * that had the same port id from matching ours. */
	s->seq = (uint32_t)time(NULL);
	*out = s;
	return 0;
fail:
	nfk_sock_close(s);
	return ret;
}

void nfk_sock_close(struct nfk_sock *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->rx);
	free(s);
}

uint32_t nfk_sock_portid(const struct nfk_sock *s)
{
	return s->portid;
}

uint32_t nfk_sock_seq(struct nfk_sock *s)
{
	return ++s->seq;
}

ssize_t nfk_sock_recv(struct nfk_sock *s, bool nonblock)
{
	int flags = nonblock ? MSG_DONTWAIT : 0;
	struct sockaddr_nl sa;
	struct iovec iov;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	for (;;) {
		/* Peek first: a datagram larger than the buffer would
		 * otherwise be cut and lost. */
		iov = (struct iovec){ s->rx, s->rx_cap };
		n = recvmsg(s->fd, &mh, flags | MSG_PEEK | MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)n > s->rx_cap) {
			uint8_t *p = realloc(s->rx, (size_t)n);

			if (!p)
				return -ENOMEM;
			s->rx = p;
			s->rx_cap = (size_t)n;
			continue;
		}
		mh.msg_name = &sa;
		mh.msg_namelen = sizeof(sa);
		do
			n = recvmsg(s->fd, &mh, flags);
		while (n < 0 && errno == EINTR);
		mh.msg_name = NULL;
		mh.msg_namelen = 0;
		if (n < 0)
			return -errno;
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		/* Only the kernel may talk to us. */
		if (sa.nl_family == AF_NETLINK && sa.nl_pid == 0)
			return n;
	}
}

static int grow_one(int fd, int *cur, size_t want, int force_opt, int opt)
{
	socklen_t len = sizeof(int);
	int v, got;

	if (!want || (size_t)*cur >= want)
		return 0;
	/* The kernel doubles what it is given (bookkeeping overhead). */
	v = want / 2 + 1 > INT_MAX / 2 ? INT_MAX / 2 : (int)(want / 2 + 1);
	if (setsockopt(fd, SOL_SOCKET, force_opt, &v, sizeof(v)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v)) < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, opt, &got, &len) < 0)
		return -errno;
	*cur = got;
	return 0;
}

int nfk_sock_grow_bufs(struct nfk_sock *s, size_t snd, size_t rcv)
{
	int ret = grow_one(s->fd, &s->sndbuf, snd, SO_SNDBUFFORCE, SO_SNDBUF);

	return ret ? ret : grow_one(s->fd, &s->rcvbuf, rcv, SO_RCVBUFFORCE, SO_RCVBUF);
}

int nfk_nlerr_parse(const struct nlmsghdr *nlh, struct nfk_nlerr *e)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t len = nlh->nlmsg_len, off;
	uint32_t v;

	e->error = 0;
	e->attr_off = -1;
	e->msg = NULL;
	e->miss_type = 0;
	if (len < NLMSG_HDRLEN + sizeof(err->error))
		return -EBADMSG;
	/* Errors are negative errnos; a positive one would pass for success
	 * in callers that test `< 0`. */
	e->error = err->error > 0 ? -err->error : err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	if (len < NLMSG_HDRLEN + sizeof(*err) || err->msg.nlmsg_len < NLMSG_HDRLEN)
		return -EBADMSG;
	/* Without NLM_F_CAPPED the whole request is echoed before the TLVs. */
	if (nlh->nlmsg_flags & NLM_F_CAPPED)
		off = NLMSG_HDRLEN + sizeof(*err);
	else
		off = NLMSG_HDRLEN + sizeof(err->error) + NLMSG_ALIGN((size_t)err->msg.nlmsg_len);
	if (off > len)
		return -EBADMSG;
	/* A malformed TLV area costs us the details, not the error code. */
	if (nfk_attr_index((const uint8_t *)nlh + off, len - off, tb, NLMSGERR_ATTR_MAX) < 0)
		return 0;
	e->msg = nfk_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (nfk_attr_get_u32(tb[NLMSGERR_ATTR_OFFS], &v) && v <= INT32_MAX)
		e->attr_off = (int32_t)v;
	if (nfk_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE], &v))
		e->miss_type = v;
	return 0;
}

/* Where one reply message leaves the request. */
enum { REQ_MORE, REQ_DONE };

struct req_state {
	uint32_t seq;
	bool dump, want_ack, intr;
	int kerr, cberr;
	nfk_msg_cb cb;
	void *arg;
};

static int req_handle(struct req_state *st, const struct nlmsghdr *nlh)
{
	struct nfk_nlerr e;
	int32_t done_err;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		st->intr = true;
	switch (nlh->nlmsg_type) {
	case NLMSG_DONE:
		/* A dump that failed half-way says so in NLMSG_DONE. */
		if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(done_err)) {
			memcpy(&done_err, NLMSG_DATA(nlh), sizeof(done_err));
			if (done_err < 0)
				st->kerr = done_err;
		}
		return REQ_DONE;
	case NLMSG_ERROR:
		st->kerr = nfk_nlerr_parse(nlh, &e) < 0 ? -EBADMSG : e.error;
		return REQ_DONE;
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		return REQ_MORE;
	}
	/* After a callback error the rest is drained, so the socket stays
	 * usable (a dump left running would make the next one EBUSY). */
	if (!st->cberr && st->cb)
		st->cberr = st->cb(nlh, st->arg);
	if (!st->dump && !st->want_ack && !(nlh->nlmsg_flags & NLM_F_MULTI))
		return REQ_DONE;
	return REQ_MORE;
}

void nfk_sock_set_progress(struct nfk_sock *s, nfk_progress_cb cb, void *arg)
{
	s->progress = cb;
	s->progress_arg = arg;
}

size_t nfk_msg_nelems(const struct nlmsghdr *nlh)
{
	const struct nlattr *list;
	const void *attrs;
	size_t len, n = 0;

	if (nlh->nlmsg_type >> 8 != NFNL_SUBSYS_NFTABLES ||
	    (nlh->nlmsg_type & 0xff) != NFT_MSG_NEWSETELEM)
		return 0;
	attrs = nfk_msg_attrs(nlh, &len);
	list = attrs ? nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_ELEMENTS) : NULL;
	if (!list)
		return 0;
	nfk_attr_for_each(a, rem, nfk_attr_data(list), nfk_attr_len(list))
		n++;
	return n;
}

int nfk_sock_request(struct nfk_sock *s, struct nlmsghdr *req, nfk_msg_cb cb, void *arg)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct req_state st = { .cb = cb, .arg = arg };
	bool finished = false;
	ssize_t n;

	if (req->nlmsg_len < NLMSG_HDRLEN)
		return -EINVAL;
	req->nlmsg_flags |= NLM_F_REQUEST;
	st.seq = req->nlmsg_seq;
	st.dump = req->nlmsg_flags & NLM_F_DUMP;
	st.want_ack = req->nlmsg_flags & NLM_F_ACK;
	do
		n = sendto(s->fd, req, req->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;

	while (!finished) {
		const struct nlmsghdr *nlh;
		size_t rem;

		n = nfk_sock_recv(s, false);
		if (n < 0)
			return (int)n;
		nlh = (const struct nlmsghdr *)s->rx;
		for (rem = (size_t)n; rem > 0 && !finished;) {
			size_t step;

			if (rem < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > rem)
				return -EBADMSG;
			if (nlh->nlmsg_seq == st.seq &&
			    (nlh->nlmsg_pid == s->portid || nlh->nlmsg_pid == 0)) {
				finished = req_handle(&st, nlh) == REQ_DONE;
				if (s->progress && st.dump) {
					s->received += nfk_msg_nelems(nlh);
					s->progress(s->progress_arg, NFK_PROGRESS_RECEIVED, s->received);
				}
			}
			step = NLMSG_ALIGN(nlh->nlmsg_len);
			if (step > rem)
				step = rem;
			rem -= step;
			nlh = (const struct nlmsghdr *)((const uint8_t *)nlh + step);
		}
	}
	if (st.kerr)
		return st.kerr;
	if (st.cberr)
		return st.cberr;
	return st.intr ? -EINTR : 0;
}
