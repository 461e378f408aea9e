// SPDX-License-Identifier: MIT
/*
 * Batches: messages in 1 MiB chunks, sent as one transaction with one
 * sendmsg(), and the per-message acks mapped back to the messages.
 *
 * The kernel runs the whole batch inside sendmsg() and queues all acks
 * before it returns, so the socket buffers are sized to the batch up front
 * and the acks are then read without blocking.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "nl_sock.h"

#define CHUNK_SHIFT 20
#define CHUNK_SIZE ((size_t)1 << CHUNK_SHIFT)
#define CHUNK_MASK (CHUNK_SIZE - 1)

/* What one queued ack costs against SO_RCVBUF (skb truesize of a capped
 * ack with TLVs, rounded up generously). */
#ifndef ACK_TRUESIZE
#define ACK_TRUESIZE 2048
#endif
#define RCVBUF_SLACK (256 * 1024)

struct chunk {
	uint8_t *data;
	size_t len;
};

struct nfk_batch {
	struct chunk *chunks;
	size_t nchunks, chunks_cap;
	/* Per message, as parallel arrays: its sequence number, its place
	 * (chunk << CHUNK_SHIFT | offset) and the caller's cookie. */
	uint32_t *seq;
	size_t *pos;
	const void **cookie;
	size_t n, cap;
	uint32_t next_seq;
	bool echo;           /* some message asked for NLM_F_ECHO */
	nfk_msg_cb echo_cb;  /* gets the echoed objects, see nfk_batch_set_echo */
	void *echo_arg;
	struct nfk_buf buf;  /* the open message's view of the last chunk */
	/* the errors of the last send, every one of them */
	struct nfk_batch_err *errs;
	size_t nerrs, errs_cap;
};

int nfk_batch_new(struct nfk_batch **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->next_seq = 1;
	return 0;
}

void nfk_batch_free(struct nfk_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nchunks; i++)
		free(b->chunks[i].data);
	free(b->chunks);
	free(b->seq);
	free(b->pos);
	free(b->cookie);
	free(b->errs);
	free(b);
}

static int grow_index(struct nfk_batch *b)
{
	size_t cap = b->cap ? b->cap * 2 : 1024;
	uint32_t *seq;
	size_t *pos;
	const void **cookie;

	/* Each array is replaced as soon as it is reallocated, so a failure
	 * half-way leaves a consistent (merely roomier) batch. */
	seq = realloc(b->seq, cap * sizeof(*seq));
	if (!seq)
		return -ENOMEM;
	b->seq = seq;
	pos = realloc(b->pos, cap * sizeof(*pos));
	if (!pos)
		return -ENOMEM;
	b->pos = pos;
	cookie = realloc(b->cookie, cap * sizeof(*cookie));
	if (!cookie)
		return -ENOMEM;
	b->cookie = cookie;
	b->cap = cap;
	return 0;
}

static int add_chunk(struct nfk_batch *b)
{
	if (b->nchunks == b->chunks_cap) {
		size_t cap = b->chunks_cap ? b->chunks_cap * 2 : 16;
		struct chunk *c = realloc(b->chunks, cap * sizeof(*c));

		if (!c)
			return -ENOMEM;
		b->chunks = c;
		b->chunks_cap = cap;
	}
	b->chunks[b->nchunks].data = malloc(CHUNK_SIZE);
	if (!b->chunks[b->nchunks].data)
		return -ENOMEM;
	b->chunks[b->nchunks].len = 0;
	b->nchunks++;
	return 0;
}

static struct nlmsghdr *msg_at(const struct nfk_batch *b, size_t i)
{
	return (struct nlmsghdr *)(b->chunks[b->pos[i] >> CHUNK_SHIFT].data + (b->pos[i] & CHUNK_MASK));
}

struct nlmsghdr *nfk_batch_msg(struct nfk_batch *b, struct nfk_buf **bufp, uint16_t msg,
			       uint16_t flags, uint8_t family, const void *cookie)
{
	struct nlmsghdr *nlh;
	struct chunk *c;

	if (b->n == b->cap && grow_index(b) < 0)
		return NULL;
	/* A message never straddles chunks: start a new one unless this
	 * message can grow to the maximum where it is. */
	if (!b->nchunks || CHUNK_SIZE - b->chunks[b->nchunks - 1].len < NFK_BATCH_MSG_MAX) {
		if (add_chunk(b) < 0)
			return NULL;
	}
	c = &b->chunks[b->nchunks - 1];
	/* The buffer starts at the message, so buf.len is the message's
	 * length: encoders can tell when a message is getting full. */
	nfk_buf_init(&b->buf, c->data + c->len, NFK_BATCH_MSG_MAX);
	nlh = nfk_msg_put(&b->buf, (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | msg),
			  NLM_F_REQUEST | NLM_F_ACK | flags, b->next_seq, family, 0);
	if (!nlh)
		return NULL;
	b->seq[b->n] = b->next_seq++;
	b->pos[b->n] = (b->nchunks - 1) << CHUNK_SHIFT | c->len;
	b->cookie[b->n] = cookie;
	b->n++;
	if (flags & NLM_F_ECHO)
		b->echo = true;
	*bufp = &b->buf;
	return nlh;
}

void nfk_batch_end_msg(struct nfk_batch *b, struct nlmsghdr *nlh)
{
	nfk_msg_end(&b->buf, nlh);
	b->chunks[b->nchunks - 1].len += b->buf.len;
	b->buf.len = 0;
}

void nfk_batch_cancel_msg(struct nfk_batch *b, struct nlmsghdr *nlh)
{
	nfk_msg_cancel(&b->buf, nlh);
	b->buf.len = 0;
	b->n--;
	b->next_seq--;
}

void nfk_batch_truncate(struct nfk_batch *b, size_t n)
{
	if (n >= b->n)
		return;
	size_t ci = b->pos[n] >> CHUNK_SHIFT;

	b->chunks[ci].len = b->pos[n] & CHUNK_MASK;
	for (size_t i = ci + 1; i < b->nchunks; i++)
		free(b->chunks[i].data);
	b->nchunks = ci + 1;
	b->next_seq -= (uint32_t)(b->n - n);
	b->n = n;
}

size_t nfk_batch_count(const struct nfk_batch *b)
{
	return b->n;
}

size_t nfk_batch_size(const struct nfk_batch *b)
{
	size_t size = 0;

	for (size_t i = 0; i < b->nchunks; i++)
		size += b->chunks[i].len;
	return size;
}

int nfk_batch_for_each(const struct nfk_batch *b, nfk_batch_iter_cb cb, void *arg)
{
	int ret;

	for (size_t i = 0; i < b->n; i++) {
		ret = cb(msg_at(b, i), i, b->cookie[i], arg);
		if (ret)
			return ret;
	}
	return 0;
}

const struct nlmsghdr *nfk_batch_msg_at(const struct nfk_batch *b, size_t index)
{
	return index < b->n ? msg_at(b, index) : NULL;
}

/* ---- sending ---------------------------------------------------------- */

void nfk_batch_set_echo(struct nfk_batch *b, nfk_msg_cb cb, void *arg)
{
	b->echo_cb = cb;
	b->echo_arg = arg;
}

/* What nft -e asks the kernel to echo: objects added, not deleted. */
static bool echo_wanted(const struct nlmsghdr *nlh)
{
	switch (nlh->nlmsg_type & 0xff) {
	case NFT_MSG_NEWCHAIN:
		/* a rename (NEWCHAIN without NLM_F_CREATE) is not echoed */
		return nlh->nlmsg_flags & NLM_F_CREATE;
	case NFT_MSG_NEWTABLE: case NFT_MSG_NEWRULE:
	case NFT_MSG_NEWSET: case NFT_MSG_NEWSETELEM: case NFT_MSG_NEWOBJ:
	case NFT_MSG_NEWFLOWTABLE:
		return true;
	default:
		return false;
	}
}

struct ack_state {
	struct nfk_batch *b;
	uint32_t begin_seq, end_seq;   /* messages are begin_seq + 1 + index */
	size_t acks;
	bool overflow;
	int first_err;
};

/* Keeps one more error of the send in the batch (as many as come: one
 * per message at most, and a few about the batch). */
static void add_err(struct ack_state *st, uint32_t seq, size_t index, int error,
		    int32_t attr_off, const char *msg)
{
	struct nfk_batch *b = st->b;
	struct nfk_batch_err *e;

	if (!st->first_err)
		st->first_err = error;
	if (b->nerrs == b->errs_cap) {
		size_t cap = b->errs_cap ? b->errs_cap * 2 : 16;
		struct nfk_batch_err *v = realloc(b->errs, cap * sizeof(*v));

		if (!v)
			return;   /* the send still fails with first_err */
		b->errs = v;
		b->errs_cap = cap;
	}
	e = &b->errs[b->nerrs++];
	e->seq = seq;
	e->index = index;
	e->cookie = index == NFK_BATCH_NO_INDEX ? NULL : st->b->cookie[index];
	e->error = error;
	e->attr_off = attr_off;
	snprintf(e->msg, sizeof(e->msg), "%s", msg ? msg : "");
}

static void handle_ack(struct ack_state *st, const struct nlmsghdr *nlh)
{
	uint32_t seq = nlh->nlmsg_seq;
	size_t index = NFK_BATCH_NO_INDEX;
	struct nfk_nlerr e;
	char miss[48];

	/* Echoed objects (NLM_F_ECHO) and the NEWGEN go to whoever asked. */
	if (nlh->nlmsg_type != NLMSG_ERROR) {
		int ret = st->b->echo_cb ? st->b->echo_cb(nlh, st->b->echo_arg) : 0;

		if (ret < 0)
			add_err(st, seq, NFK_BATCH_NO_INDEX, ret, -1, "echo");
		return;
	}
	/* Unsigned distances keep this right across a sequence wrap. */
	if (seq - st->begin_seq >= 1 && seq - st->begin_seq <= st->b->n) {
		index = seq - st->begin_seq - 1;
		if (st->b->seq[index] != seq)
			return;
	}
	if (nfk_nlerr_parse(nlh, &e) < 0) {
		add_err(st, seq, index, -EBADMSG, -1, "malformed ack");
		return;
	}
	if (!e.error) {
		if (index != NFK_BATCH_NO_INDEX)
			st->acks++;
		return;
	}
	if (!e.msg && e.miss_type) {
		snprintf(miss, sizeof(miss), "missing attribute %u", e.miss_type);
		e.msg = miss;
	}
	add_err(st, seq, index, e.error, e.attr_off, e.msg);
}

static int read_acks(struct nfk_sock *s, struct ack_state *st)
{
	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t n = nfk_sock_recv(s, true);
		size_t rem;

		if (n == -EAGAIN)
			return 0;
		/* Reported last: the acks still queued may hold the real
		 * error, which is worth more than the overflow. */
		if (n == -ENOBUFS) {
			st->overflow = true;
			continue;
		}
		if (n < 0)
			return (int)n;
		nlh = (const struct nlmsghdr *)s->rx;
		for (rem = (size_t)n; rem > 0;) {
			size_t step;

			if (rem < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > rem)
				return -EBADMSG;
			/* Echoed set elements come with sequence number 0. */
			if ((nlh->nlmsg_seq - st->begin_seq <= st->end_seq - st->begin_seq ||
			     (st->b->echo_cb && nlh->nlmsg_type != NLMSG_ERROR)) &&
			    (nlh->nlmsg_pid == s->portid || nlh->nlmsg_pid == 0))
				handle_ack(st, nlh);
			step = NLMSG_ALIGN(nlh->nlmsg_len);
			if (step > rem)
				step = rem;
			rem -= step;
			nlh = (const struct nlmsghdr *)((const uint8_t *)nlh + step);
		}
	}
}

/* Bytes the kernel echoes for the batch: every element of a NEWSETELEM
 * comes back as a message of its own, with the table and set names
 * again; other objects come back about their own size (plus handles). */
static size_t echo_bytes(const struct nfk_batch *b)
{
	const size_t extra = 64;
	size_t total = 0;

	for (size_t i = 0; i < b->n; i++) {
		const struct nlmsghdr *nlh = msg_at(b, i);
		const struct nlattr *t, *set, *list;
		size_t len, names;
		const void *a;

		if (!(nlh->nlmsg_flags & NLM_F_ECHO))
			continue;
		total += NLMSG_ALIGN(nlh->nlmsg_len) + extra;
		if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWSETELEM)
			continue;
		a = nfk_msg_attrs(nlh, &len);
		list = a ? nfk_attr_find(a, len, NFTA_SET_ELEM_LIST_ELEMENTS) : NULL;
		if (!list)
			continue;
		t = nfk_attr_find(a, len, NFTA_SET_ELEM_LIST_TABLE);
		set = nfk_attr_find(a, len, NFTA_SET_ELEM_LIST_SET);
		names = (t ? NFK_ALIGN(t->nla_len) : 0) + (set ? NFK_ALIGN(set->nla_len) : 0);
		nfk_attr_for_each(e, rem, nfk_attr_data(list), nfk_attr_len(list))
			total += NFK_MSG_HDRLEN + names + 4 + NFK_ALIGN(e->nla_len) + extra;
	}
	return total;
}

const struct nfk_batch_err *nfk_batch_errors(const struct nfk_batch *b, size_t *n)
{
	*n = b->nerrs;
	return b->errs;
}

int nfk_batch_set_errors(struct nfk_batch *b, const struct nfk_batch_err *errs, size_t n)
{
	if (n > b->errs_cap) {
		struct nfk_batch_err *v = realloc(b->errs, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		b->errs = v;
		b->errs_cap = n;
	}
	if (n)
		memcpy(b->errs, errs, n * sizeof(*errs));
	b->nerrs = n;
	return 0;
}

int nfk_batch_send(struct nfk_sock *s, struct nfk_batch *b, bool check,
		   struct nfk_batch_err *errs, size_t max_errs, size_t *nerrs)
{
	uint8_t begin[NFK_MSG_HDRLEN], end[NFK_MSG_HDRLEN];
	struct ack_state st = { .b = b };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa) };
	struct nfk_buf hb;
	struct iovec *iov;
	size_t niov = 0, size = nfk_batch_size(b), rcv;
	uint64_t nelems = 0;
	ssize_t sent;
	int ret;

	if (nerrs)
		*nerrs = 0;
	b->nerrs = 0;
	if (!b->n)
		return 0;
	if (b->nchunks + 2 > IOV_MAX)
		return -EMSGSIZE;

	/* Fresh sequence numbers per send: acks are matched by seq, and a
	 * batch may be sent more than once. */
	st.begin_seq = s->seq + 1;
	st.end_seq = st.begin_seq + (uint32_t)b->n + 1;
	s->seq = st.end_seq;
	for (size_t i = 0; i < b->n; i++) {
		struct nlmsghdr *nlh = msg_at(b, i);

		b->seq[i] = st.begin_seq + 1 + (uint32_t)i;
		nlh->nlmsg_seq = b->seq[i];
		/* The encoder may not have asked for echoes itself. */
		if (b->echo_cb && echo_wanted(nlh)) {
			nlh->nlmsg_flags |= NLM_F_ECHO;
			b->echo = true;
		}
	}
	nfk_buf_init(&hb, begin, sizeof(begin));
	nfk_msg_put(&hb, NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, st.begin_seq, AF_UNSPEC,
		    NFNL_SUBSYS_NFTABLES);
	nfk_buf_init(&hb, end, sizeof(end));
	nfk_msg_put(&hb, NFNL_MSG_BATCH_END, NLM_F_REQUEST, st.end_seq, AF_UNSPEC,
		    NFNL_SUBSYS_NFTABLES);

	rcv = (b->n + 2) * (size_t)ACK_TRUESIZE + RCVBUF_SLACK;
	/* The echoes are queued inside sendmsg() too, before the acks. */
	if (b->echo)
		rcv += 2 * echo_bytes(b);
	ret = nfk_sock_grow_bufs(s, size + 2 * NFK_MSG_HDRLEN + 4096, rcv);
	if (ret)
		return ret;
	/* netlink refuses a message larger than the send buffer (less 32). */
	if ((size_t)s->sndbuf < size + 2 * NFK_MSG_HDRLEN + 32)
		return -EMSGSIZE;

	iov = malloc((b->nchunks + 2) * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	iov[niov++] = (struct iovec){ begin, sizeof(begin) };
	for (size_t i = 0; i < b->nchunks; i++)
		if (b->chunks[i].len)
			iov[niov++] = (struct iovec){ b->chunks[i].data, b->chunks[i].len };
	if (!check)
		iov[niov++] = (struct iovec){ end, sizeof(end) };
	mh.msg_iov = iov;
	mh.msg_iovlen = niov;
	if (s->progress) {
		for (size_t i = 0; i < b->n; i++)
			nelems += nfk_msg_nelems(msg_at(b, i));
		s->progress(s->progress_arg, NFK_PROGRESS_SENDING, nelems);
	}
	do
		sent = sendmsg(s->fd, &mh, 0);
	while (sent < 0 && errno == EINTR);
	ret = sent < 0 ? -errno : 0;
	free(iov);
	if (ret)
		return ret;

	ret = read_acks(s, &st);
	if (s->progress && !ret && !st.first_err)
		s->progress(s->progress_arg, NFK_PROGRESS_SENT, nelems);
	if (st.overflow)
		add_err(&st, 0, NFK_BATCH_NO_INDEX, -ENOBUFS, -1,
			"receive buffer overflowed: acks were lost");
	if (nerrs)
		*nerrs = b->nerrs < max_errs ? b->nerrs : max_errs;
	if (errs && nerrs && *nerrs)   /* (no errors: b->errs may be NULL) */
		memcpy(errs, b->errs, *nerrs * sizeof(*errs));
	if (ret)
		return ret;
	if (st.first_err)
		return st.first_err;
	/* Every message asked for an ack; a missing one means we cannot
	 * tell what the kernel did. */
	return st.acks == b->n ? 0 : -EPROTO;
}
