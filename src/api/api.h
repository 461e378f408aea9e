/* SPDX-License-Identifier: MIT */
/* Internals shared by the public API files. */
#ifndef NFK_API_INT_H
#define NFK_API_INT_H

#include "nfkit/nfkit.h"
#include "lang/lang.h"

/*
 * Options structs (struct nfk_chain_opts, nfk_set_opts: size_t sz first),
 * read as libbpf reads its opts (OPTS_VALID, OPTS_GET).  NFK_OPTS_VALID:
 * NULL opts, or sz covering at least sz itself and every byte beyond the
 * last field this build knows (last) zero; the caller returns -EINVAL
 * otherwise.  NFK_OPTS_GET: the field when it ends within sz, else dflt.
 */
#define nfk_offsetofend(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
bool nfk_opts_valid(const void *opts, size_t sz, size_t known);
#define NFK_OPTS_VALID(opts, type, last) \
	(!(opts) || nfk_opts_valid((opts), (opts)->sz, nfk_offsetofend(type, last)))
#define NFK_OPTS_GET(opts, field, dflt) \
	((opts) && (opts)->sz >= nfk_offsetofend(__typeof__(*(opts)), field) ? (opts)->field : (dflt))

/* A progress line on a terminal (progress.c). */
struct nfk_progress {
	uint64_t start, last;   /* ms, monotonic */
	bool shown;
};
/* start: the operation begins; attach: report what socket s moves;
 * end: clear the line if one was shown. */
void nfk_progress_start(struct nfk_progress *p);
void nfk_progress_attach(struct nfk_progress *p, struct nfk_sock *s);
void nfk_progress_end(struct nfk_progress *p);

struct nfk_ctx {
	unsigned flags;
	FILE *out, *err;
	struct nfk_sock *sock;
	char **incs;
	size_t nincs;
	char **defs;       /* -D "name=value" */
	size_t ndefs;
	struct nfk_progress progress;
};

int nfk_ctx_sock(struct nfk_ctx *ctx, struct nfk_sock **out);
void nfk_ctx_list_opts(const struct nfk_ctx *ctx, struct nfk_list_opts *o);
void nfk_ctx_print_diags(struct nfk_ctx *ctx, const struct nfk_diags *ds);
int nfk_ctx_run_script(struct nfk_ctx *ctx, struct nfk_script *sc);
/* The diagnostic nft prints for kernel error e about batch b, compiled
 * from sc (NULL: a message not compiled from text), added to ds: the
 * statement, element or name the extended ACK points at, nft's message. */
void nfk_kernel_err_diag(struct nfk_ctx *ctx, const struct nfk_script *sc,
			 const struct nfk_batch_err *e, const struct nfk_batch *b,
			 const struct nfk_kstate *ks, struct nfk_diags *ds);
/* txn.c, for tests: the batch a transaction has built so far. */
const struct nfk_batch *nfk_txn_batch(const struct nfk_txn *t);
/* elemerr.c: nft's text for a kernel error about an element, or NULL. */
const char *nfk_elem_err_msg(const struct nfk_batch *b, const struct nfk_batch_err *e,
			     const struct nfk_kstate *ks, struct nfk_sock *sock, int32_t *attr_off);
/* elemprobe.c: answers for the compiler about existing interval sets, by
 * targeted lookups on sock; and whether a failed batch added to an
 * auto-merge set what the kernel refused (an interval the new range
 * swallows, which lookups do not find): then a retry with a dump merges. */
void nfk_elem_probe_init(struct nfk_elem_probe *p, struct nfk_sock *sock);
/* One GETSETELEM for key in set (flags NFT_SET_ELEM_INTERVAL_END: the
 * nearest end above key): 0 with the element's key in out (klen bytes),
 * -ENOENT when the kernel has none with such a key, or -errno. */
int nfk_elem_lookup(struct nfk_sock *sock, int family, const char *table, const char *set,
		    const uint8_t *key, unsigned klen, uint32_t flags, uint8_t *out);
bool nfk_elem_err_wants_dump(const struct nfk_batch *b, const struct nfk_batch_err *errs,
			     size_t nerrs, const struct nfk_kstate *ks);
/* precheck.c: nfk_batch_send, but no message its schema rejects is sent:
 * each is answered as the kernel answers it, the others are sent (then
 * only checked, the transaction failing anyway); every answer in
 * nfk_batch_errors(b), in message order. */
int nfk_batch_send_checked(struct nfk_sock *s, struct nfk_batch *b, bool check);
/* get.c: `get element`, answered by the kernel's lookups (no dump). */
int nfk_ctx_get_elements(struct nfk_ctx *ctx, struct nfk_script *sc, const struct nfk_cmd *c,
			 struct nfk_diags *ds);

#endif
