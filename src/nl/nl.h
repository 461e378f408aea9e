/* SPDX-License-Identifier: MIT */
/*
 * Netlink layer: message and attribute encoding into caller-owned buffers,
 * bounds-checked attribute parsing, the NETLINK_NETFILTER socket, batches
 * and dumps.
 *
 * Encoding never allocates: every put returns NULL/false when the buffer is
 * full, so a caller can flush what it has and continue in a new message.
 */
#ifndef NFK_NL_H
#define NFK_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#define NFK_ALIGN(len) (((len) + 3u) & ~3u)
#define NFK_ATTR_HDRLEN NFK_ALIGN(sizeof(struct nlattr))
#define NFK_MSG_HDRLEN (NFK_ALIGN(sizeof(struct nlmsghdr)) + NFK_ALIGN(sizeof(struct nfgenmsg)))

/* A caller-owned byte buffer.  The encoder appends at len, never past cap. */
struct nfk_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

static inline void nfk_buf_init(struct nfk_buf *b, void *mem, size_t cap)
{
	b->data = mem;
	b->len = 0;
	b->cap = cap;
}

/* ---- messages --------------------------------------------------------- */

/* Appends an nlmsghdr + nfgenmsg.  type is the full nlmsg_type
 * (subsystem << 8 | message).  NULL when it does not fit. */
struct nlmsghdr *nfk_msg_put(struct nfk_buf *b, uint16_t type, uint16_t flags,
			     uint32_t seq, uint8_t family, uint16_t res_id);
/* Sets nlmsg_len from the buffer's current end. */
void nfk_msg_end(struct nfk_buf *b, struct nlmsghdr *nlh);
/* Drops everything from nlh on (a message that did not fit). */
void nfk_msg_cancel(struct nfk_buf *b, struct nlmsghdr *nlh);

static inline void *nfk_msg_payload(const struct nlmsghdr *nlh)
{
	return (uint8_t *)nlh + NFK_MSG_HDRLEN;
}

/* Attributes of an nfnetlink message, or NULL/0 when it is too short. */
const void *nfk_msg_attrs(const struct nlmsghdr *nlh, size_t *len);

/* ---- attribute encoding ----------------------------------------------- */

bool nfk_attr_put(struct nfk_buf *b, uint16_t type, const void *data, size_t len);
bool nfk_attr_put_u8(struct nfk_buf *b, uint16_t type, uint8_t v);
bool nfk_attr_put_u32(struct nfk_buf *b, uint16_t type, uint32_t v);   /* host order */
bool nfk_attr_put_be16(struct nfk_buf *b, uint16_t type, uint16_t v);  /* v in host order */
bool nfk_attr_put_be32(struct nfk_buf *b, uint16_t type, uint32_t v);
bool nfk_attr_put_be64(struct nfk_buf *b, uint16_t type, uint64_t v);
bool nfk_attr_put_str(struct nfk_buf *b, uint16_t type, const char *s); /* with NUL */

/* Nests: start returns the nest header (NULL when full); end fixes its
 * length and returns false when the nest outgrew the 16-bit nla_len (the
 * caller cancels what it added last and ends the nest again). */
struct nlattr *nfk_nest_start(struct nfk_buf *b, uint16_t type);
bool nfk_nest_end(struct nfk_buf *b, struct nlattr *nest);
void nfk_nest_cancel(struct nfk_buf *b, struct nlattr *nest);

/* ---- attribute parsing ------------------------------------------------ */

static inline uint16_t nfk_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}
static inline const void *nfk_attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NFK_ATTR_HDRLEN;
}
static inline size_t nfk_attr_len(const struct nlattr *a)
{
	return a->nla_len - NFK_ATTR_HDRLEN;
}

/* True when [a, a->nla_len) lies inside the rem bytes that start at a. */
static inline bool nfk_attr_ok(const struct nlattr *a, size_t rem)
{
	return rem >= sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= rem;
}

static inline const struct nlattr *nfk_attr_next(const struct nlattr *a, size_t *rem)
{
	size_t step = NFK_ALIGN(a->nla_len);

	if (step > *rem)
		step = *rem;
	*rem -= step;
	return (const struct nlattr *)((const uint8_t *)a + step);
}

/* Iterates over well-formed attributes; stops at the first malformed one. */
#define nfk_attr_for_each(a, rem, data, len)                                   \
	for (size_t rem = (len), *rem##_once = &rem; rem##_once; rem##_once = NULL) \
		for (const struct nlattr *a = (const struct nlattr *)(data);            \
		     nfk_attr_ok(a, rem); a = nfk_attr_next(a, &rem))

/* Checks that attrs[0, len) is a well-formed attribute stream (no trailing
 * garbage except alignment padding).  0 or -EINVAL. */
int nfk_attr_validate_stream(const void *data, size_t len);

/* Indexes attributes by type into tb[0..max]; later duplicates win,
 * types > max are ignored.  -EINVAL on a malformed stream. */
int nfk_attr_index(const void *data, size_t len, const struct nlattr **tb, unsigned max);

/* First attribute of the given type, or NULL. */
const struct nlattr *nfk_attr_find(const void *data, size_t len, uint16_t type);

/* Typed readers; they return false when the length is wrong. */
bool nfk_attr_get_u8(const struct nlattr *a, uint8_t *v);
bool nfk_attr_get_u32(const struct nlattr *a, uint32_t *v);
bool nfk_attr_get_be16(const struct nlattr *a, uint16_t *v);
bool nfk_attr_get_be32(const struct nlattr *a, uint32_t *v);
bool nfk_attr_get_be64(const struct nlattr *a, uint64_t *v);
/* A NUL-terminated string within the attribute, or NULL. */
const char *nfk_attr_get_str(const struct nlattr *a);

/* Convenience for tb[] lookups that tolerate a missing attribute. */
uint32_t nfk_tb_be32(const struct nlattr *const *tb, unsigned type, uint32_t dflt);
uint64_t nfk_tb_be64(const struct nlattr *const *tb, unsigned type, uint64_t dflt);
const char *nfk_tb_str(const struct nlattr *const *tb, unsigned type, const char *dflt);

/* ---- socket ----------------------------------------------------------- */

struct nfk_sock;

/* Opens a NETLINK_NETFILTER socket with extended ACKs and capped ACKs.
 * 0 or -errno. */
int nfk_sock_open(struct nfk_sock **out);
void nfk_sock_close(struct nfk_sock *s);
uint32_t nfk_sock_portid(const struct nfk_sock *s);
/* Progress of long operations, for a person watching: set elements about
 * to be sent in a batch, committed, and received in dumps so far.  Called
 * often; the callee decides whether and when to show anything. */
enum nfk_progress_what {
	NFK_PROGRESS_SENDING,
	NFK_PROGRESS_SENT,
	NFK_PROGRESS_RECEIVED,
};
typedef void (*nfk_progress_cb)(void *arg, enum nfk_progress_what what, uint64_t elements);
void nfk_sock_set_progress(struct nfk_sock *s, nfk_progress_cb cb, void *arg);
/* Set elements in an nf_tables message (0 for other messages). */
size_t nfk_msg_nelems(const struct nlmsghdr *nlh);

/* Next sequence number for a message the caller builds. */
uint32_t nfk_sock_seq(struct nfk_sock *s);

/* Called for every data message of a dump; return 0 to go on, <0 to stop. */
typedef int (*nfk_msg_cb)(const struct nlmsghdr *nlh, void *arg);

/* Sends one request (NLM_F_DUMP or a plain GET) and feeds each reply
 * message to cb until NLMSG_DONE or the ACK.  0 or -errno (the kernel's
 * error for the request, or the callback's). */
int nfk_sock_request(struct nfk_sock *s, struct nlmsghdr *req, nfk_msg_cb cb, void *arg);

/* ---- batches ---------------------------------------------------------- */

/* Room every message gets: attribute lengths are 16-bit, so no nest (rule
 * expressions, element lists) can exceed 64 KiB anyway. */
#define NFK_BATCH_MSG_MAX (65536 + 1024)

/* nfk_batch_err.index of an error about the batch as a whole (reported
 * on BEGIN/END, or the receive buffer overflowing). */
#define NFK_BATCH_NO_INDEX SIZE_MAX

/* One kernel error attached to the message that caused it. */
struct nfk_batch_err {
	uint32_t seq;        /* sequence number of the failing message */
	size_t index;        /* index of that message within the batch (begin
				excluded), or NFK_BATCH_NO_INDEX */
	const void *cookie;  /* what the caller attached to that message */
	int error;           /* negative errno */
	int32_t attr_off;    /* NLMSGERR_ATTR_OFFS: offset of the bad attribute within
				the failing message, or -1 */
	char msg[128];       /* NLMSGERR_ATTR_MSG, or "" */
};

/*
 * A batch is a list of chunks (1 MiB each) that hold whole messages, sent
 * with one sendmsg() so the kernel applies them as one transaction,
 * whatever the size.  The batch allocates its chunks; encoders write into
 * them and never allocate.
 */
struct nfk_batch;

int nfk_batch_new(struct nfk_batch **out);
void nfk_batch_free(struct nfk_batch *b);

/*
 * Starts a message of nf_tables type msg (NFT_MSG_NEWRULE...): writes the
 * headers with NLM_F_REQUEST | NLM_F_ACK | flags and the next sequence
 * number.  *bufp receives the buffer to append attributes to; it has room
 * for the message to reach NFK_BATCH_MSG_MAX bytes.  cookie is handed back
 * with any error about this message (the parser stores a source location).
 * NULL on allocation failure.  Every message ends with nfk_batch_end_msg()
 * or nfk_batch_cancel_msg() before the next one starts.
 */
struct nlmsghdr *nfk_batch_msg(struct nfk_batch *b, struct nfk_buf **bufp, uint16_t msg,
			       uint16_t flags, uint8_t family, const void *cookie);
void nfk_batch_end_msg(struct nfk_batch *b, struct nlmsghdr *nlh);
void nfk_batch_cancel_msg(struct nfk_batch *b, struct nlmsghdr *nlh);

/* Drops the messages from index n on (no message may be open): what a
 * failed step appended, so the batch is as it was before it. */
void nfk_batch_truncate(struct nfk_batch *b, size_t n);

/* Number of messages (begin/end excluded) and their total size in bytes. */
size_t nfk_batch_count(const struct nfk_batch *b);
size_t nfk_batch_size(const struct nfk_batch *b);

/* Calls cb for each message, in order; stops at a non-zero return. */
typedef int (*nfk_batch_iter_cb)(const struct nlmsghdr *nlh, size_t index,
				 const void *cookie, void *arg);
int nfk_batch_for_each(const struct nfk_batch *b, nfk_batch_iter_cb cb, void *arg);
/* Message index (as in nfk_batch_err.index), or NULL when out of range. */
const struct nlmsghdr *nfk_batch_msg_at(const struct nfk_batch *b, size_t index);

/* Hands every non-error message the kernel sends back during
 * nfk_batch_send (the objects echoed by NLM_F_ECHO, then NFT_MSG_NEWGEN)
 * to cb, and sets NLM_F_ECHO on each NEW* message when sent, as nft -e
 * does.  A negative return from cb is reported as a batch error. */
void nfk_batch_set_echo(struct nfk_batch *b, nfk_msg_cb cb, void *arg);

/*
 * Sends BEGIN + messages + END in one sendmsg() and reads one ACK per
 * message.  With check set, END is left out: the kernel validates every
 * message and then aborts the transaction (nft -c).  Socket buffers are
 * sized to the batch so it never hits ENOBUFS.  Every error is kept in
 * the batch until the next send (nfk_batch_errors); the first max_errs
 * are also copied to errs (may be NULL), *nerrs says how many.  Returns 0
 * when every message was accepted, the first error's -errno otherwise, or a local -errno
 * (-ENOBUFS if acks were lost nonetheless, -EPROTO if some never came).
 * Each send renumbers the messages with fresh sequence numbers of s.
 */
int nfk_batch_send(struct nfk_sock *s, struct nfk_batch *b, bool check,
		   struct nfk_batch_err *errs, size_t max_errs, size_t *nerrs);
/* The errors of the batch's last send, in the order the kernel gave them. */
const struct nfk_batch_err *nfk_batch_errors(const struct nfk_batch *b, size_t *n);
/* Replaces them (a send made of parts: see nfk_batch_send_checked). */
int nfk_batch_set_errors(struct nfk_batch *b, const struct nfk_batch_err *errs, size_t n);

#endif
