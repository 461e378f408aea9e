/* SPDX-License-Identifier: MIT */
/*
 * nfkit: program Linux nftables without libnftnl, libmnl or libnftables.
 *
 * Two levels:
 *  - text: nfk_ctx_run() applies nft commands or a file exactly as nft
 *    would (one atomic transaction) and lists the ruleset as nft does;
 *  - objects: a transaction (struct nfk_txn) built from tables, chains,
 *    sets, elements and rules made of kernel expressions, committed
 *    atomically, with every kernel error attached to the object that
 *    caused it.
 *
 * Conventions: functions return 0 or a negative errno; constructors
 * return objects through an out pointer; every _free accepts NULL.
 * Families, hooks, verdicts and expression attributes use the kernel's
 * own constants (<linux/netfilter.h>, <linux/netfilter/nf_tables.h>).
 */
#ifndef NFKIT_NFKIT_H
#define NFKIT_NFKIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NFK_API __attribute__((visibility("default")))

/* ---- sessions ----------------------------------------------------------- */

struct nfk_ctx;

/* Output and behaviour flags, as nft's command-line options. */
enum nfk_ctx_flags {
	NFK_CTX_CHECK = 1 << 0,         /* -c: validate in the kernel, commit nothing */
	NFK_CTX_HANDLE = 1 << 1,        /* -a */
	NFK_CTX_STATELESS = 1 << 2,     /* -s */
	NFK_CTX_TERSE = 1 << 3,         /* -t */
	NFK_CTX_NUMERIC = 1 << 4,       /* -n */
	NFK_CTX_ECHO = 1 << 5,          /* -e */
	NFK_CTX_DEBUG_NETLINK = 1 << 6, /* --debug=netlink */
	NFK_CTX_SERVICE = 1 << 7,       /* -S */
	NFK_CTX_NUMERIC_PROTO = 1 << 8, /* -p */
	NFK_CTX_NUMERIC_TIME = 1 << 9,  /* -T */
	NFK_CTX_GUID = 1 << 10,         /* -u */
	NFK_CTX_NUMERIC_PRIO = 1 << 11, /* -y */
	NFK_CTX_REVERSEDNS = 1 << 12,   /* -N */
	NFK_CTX_OFFLINE = 1 << 13,      /* compile only; never open a socket */
};

/* A session owns its netlink socket (opened on first use).  Output goes to
 * out (listings, debug) and err (diagnostics); both default to stdout and
 * stderr and are not closed by nfkit. */
NFK_API int nfk_ctx_new(struct nfk_ctx **out);
NFK_API void nfk_ctx_free(struct nfk_ctx *ctx);
NFK_API void nfk_ctx_set_flags(struct nfk_ctx *ctx, unsigned flags);
NFK_API unsigned nfk_ctx_flags(const struct nfk_ctx *ctx);
NFK_API void nfk_ctx_set_output(struct nfk_ctx *ctx, FILE *out, FILE *err);
/* Adds a directory to the include search path (nft -I).  The string is copied. */
NFK_API int nfk_ctx_add_include_path(struct nfk_ctx *ctx, const char *dir);
/* Defines a variable as nft -D name=value does. */
NFK_API int nfk_ctx_define(struct nfk_ctx *ctx, const char *name, const char *value);

/*
 * Runs nft commands given as text ("add table inet t; list ruleset"), or
 * the file at path ("-" is standard input).  All changes are sent as one
 * transaction: either everything applies or nothing does.  Diagnostics are
 * printed to the err stream in nft's format.  Returns 0, -EINVAL for a
 * parse or type error, or the kernel's -errno.
 */
NFK_API int nfk_ctx_run(struct nfk_ctx *ctx, const char *text);
NFK_API int nfk_ctx_run_file(struct nfk_ctx *ctx, const char *path);

/* ---- transactions built from objects -------------------------------------- */

struct nfk_txn;
struct nfk_rule;

/* Options for a chain; zero hook_type makes a regular (non-base) chain. */
struct nfk_chain_opts {
	size_t sz;              /* sizeof(struct nfk_chain_opts) */
	const char *type;       /* "filter", "nat", "route"; NULL: regular chain */
	unsigned hooknum;       /* NF_INET_LOCAL_IN ... */
	int prio;
	int policy;             /* NF_ACCEPT / NF_DROP; -1: kernel default */
	const char *device;     /* netdev family */
};

/* Options for a set.  Key and data types are nft type names
 * ("ipv4_addr", "inet_service", "ipv4_addr . inet_service", "verdict"). */
struct nfk_set_opts {
	size_t sz;              /* sizeof(struct nfk_set_opts) */
	const char *key_type;
	const char *data_type;  /* NULL: a set, not a map */
	uint32_t flags;         /* NFT_SET_INTERVAL, NFT_SET_TIMEOUT, ... */
	uint64_t timeout_ms;
	uint32_t size;
};

/* A transaction collects changes for one atomic commit.  It belongs to
 * ctx's socket; free it with nfk_txn_free(). */
NFK_API int nfk_txn_new(struct nfk_ctx *ctx, struct nfk_txn **out);
NFK_API void nfk_txn_free(struct nfk_txn *txn);

NFK_API int nfk_txn_add_table(struct nfk_txn *txn, int family, const char *table);
NFK_API int nfk_txn_add_chain(struct nfk_txn *txn, int family, const char *table,
			      const char *chain, const struct nfk_chain_opts *opts);
NFK_API int nfk_txn_add_set(struct nfk_txn *txn, int family, const char *table,
			    const char *set, const struct nfk_set_opts *opts);
/* Adds elements written in nft syntax ("10.0.0.1, 10.0.0.0/24"). */
NFK_API int nfk_txn_add_elements(struct nfk_txn *txn, int family, const char *table,
				 const char *set, const char *elements);
/* Adds a counter, quota or limit object from its nft body text
 * ("counter", "quota 10 mbytes", "limit rate 10/second"). */
NFK_API int nfk_txn_add_object(struct nfk_txn *txn, int family, const char *table,
			       const char *name, const char *body);
/* Appends a rule made of expressions (see nfk_rule_*).  The rule is
 * copied; the caller still owns it. */
NFK_API int nfk_txn_add_rule(struct nfk_txn *txn, int family, const char *table,
			     const char *chain, const struct nfk_rule *rule);
/* Appends anything nft text can say, compiled into this transaction. */
NFK_API int nfk_txn_add_text(struct nfk_txn *txn, const char *text);

/*
 * Commits everything atomically.  On failure nothing is applied, and each
 * kernel error is attached to the change that caused it: nfk_txn_nerrors()
 * and nfk_txn_error() tell which one (the index of the nfk_txn_add_* call,
 * 0-based) and why.  Returns 0 or the first error's -errno.
 */
NFK_API int nfk_txn_commit(struct nfk_txn *txn);
NFK_API size_t nfk_txn_nerrors(const struct nfk_txn *txn);
/* The i-th error: the index of the failing change, its -errno and a
 * description ("add rule inet filter input: No such file or directory").
 * The string lives as long as the transaction. */
NFK_API int nfk_txn_error(const struct nfk_txn *txn, size_t i, size_t *change,
			  const char **what);

/* ---- rules from kernel expressions ------------------------------------- */

/* A rule under construction: a list of expressions, each opened with
 * nfk_rule_expr() and closed with nfk_rule_expr_end().  Integer
 * attributes take host values; the expression's schema picks the
 * attribute's width and byte order. */
NFK_API int nfk_rule_new(struct nfk_rule **out);
NFK_API void nfk_rule_free(struct nfk_rule *rule);
NFK_API int nfk_rule_expr(struct nfk_rule *rule, const char *name);
NFK_API int nfk_rule_expr_uint(struct nfk_rule *rule, uint16_t attr, uint64_t value);
NFK_API int nfk_rule_expr_str(struct nfk_rule *rule, uint16_t attr, const char *s);
/* An nft_data value (NFTA_DATA_VALUE) of len bytes, as they go in the register. */
NFK_API int nfk_rule_expr_data(struct nfk_rule *rule, uint16_t attr, const void *data, size_t len);
/* An nft_data verdict (NFTA_DATA_VERDICT); chain for jump/goto. */
NFK_API int nfk_rule_expr_verdict(struct nfk_rule *rule, uint16_t attr, int code, const char *chain);
NFK_API int nfk_rule_expr_end(struct nfk_rule *rule);
/* Compiles nft rule text ("tcp dport 22 accept") for the given family
 * into the rule's expressions, after any already there. */
NFK_API int nfk_rule_add_text(struct nfk_rule *rule, int family, const char *text);
NFK_API int nfk_rule_set_comment(struct nfk_rule *rule, const char *comment);

/* ---- listing ------------------------------------------------------------ */

/* Prints the ruleset (family < 0: all families; table NULL: all tables) as
 * `nft list ruleset` / `nft list table` would, honouring the ctx flags. */
NFK_API int nfk_ctx_list(struct nfk_ctx *ctx, FILE *out, int family, const char *table);

#ifdef __cplusplus
}
#endif

#endif
