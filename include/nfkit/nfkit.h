/* SPDX-License-Identifier: MIT */
/*
 * nfkit: program Linux nftables without libnftnl, libmnl or libnftables.
 *
 * Two levels:
 *  - text: nfk_ctx_run() applies nft commands or a file exactly as nft
 *    would (one atomic transaction) and lists the ruleset as nft does;
 *  - objects: a transaction (struct nfk_txn) built from tables, chains,
 *    sets, elements and rules made of kernel expressions, given as typed
 *    arguments (never pasted into nft text), committed atomically, with
 *    every error (struct nfk_error) attached to the change that caused it.
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

/* The library's version ("0.2.0"), as the Makefile's VERSION says. */
NFK_API const char *nfk_version(void);

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

/*
 * Options structs start with sz, which the caller sets to sizeof(the
 * struct) as its nfkit.h declares it, and are read as libbpf reads its
 * opts: a field that ends beyond sz reads as zero (a caller built against
 * an older, shorter struct); bytes beyond the struct this library knows
 * must be zero (a newer caller's fields this library cannot honour), or
 * the call fails with -EINVAL; so does sz smaller than sz itself (0, say).
 * "Beyond" counts from the end of the last field, so zero-initialise the
 * struct (designated initializers do): its trailing padding is checked.
 * A NULL options pointer is all zeroes.
 */

/* A base chain's policy (struct nfk_chain_opts.policy).  Zero sends no
 * policy: the kernel's default, accept.  (Not NF_ACCEPT/NF_DROP: NF_DROP
 * is 0.) */
enum nfk_chain_policy {
	NFK_CHAIN_POLICY_DEFAULT = 0,
	NFK_CHAIN_POLICY_ACCEPT = 1,
	NFK_CHAIN_POLICY_DROP = 2,
};

/* Options for a chain; a NULL type (or NULL opts) makes a regular
 * (non-base) chain.  A zero-initialised base chain accepts. */
struct nfk_chain_opts {
	size_t sz;              /* sizeof(struct nfk_chain_opts) */
	const char *type;       /* "filter", "nat", "route"; NULL: regular chain */
	unsigned hooknum;       /* NF_INET_LOCAL_IN ... */
	int prio;
	int policy;             /* enum nfk_chain_policy; base chains only */
	const char *device;     /* netdev family */
};

/* Options for a set.  Key and data types are nft type names
 * ("ipv4_addr", "inet_service", "ipv4_addr . inet_service", "verdict"). */
struct nfk_set_opts {
	size_t sz;              /* sizeof(struct nfk_set_opts) */
	const char *key_type;   /* required */
	const char *data_type;  /* NULL: a set, not a map */
	uint32_t flags;         /* NFT_SET_CONSTANT, _INTERVAL, _TIMEOUT, _EVAL */
	uint64_t timeout_ms;
	uint32_t size;
};

/* A transaction collects changes for one atomic commit.  It belongs to
 * ctx's socket; free it with nfk_txn_free(). */
NFK_API int nfk_txn_new(struct nfk_ctx *ctx, struct nfk_txn **out);
NFK_API void nfk_txn_free(struct nfk_txn *txn);

/*
 * Each nfk_txn_add_* call is one change, numbered from 0 in call order
 * (a call that fails keeps its number and adds nothing).  The changes are
 * built from their typed arguments, not pasted into nft text: table,
 * chain, set and object names are sent exactly as given (any bytes; a
 * name longer than the kernel's 255 bytes is -ENAMETOOLONG), so a name
 * such as "x; flush ruleset" names one table and runs nothing.  Only
 * elements and object bodies are text, and each is parsed as exactly
 * that: an element list, or an object body, never a command.  Errors:
 * -EINVAL (a bad argument, or a syntax or type error in the text), with
 * an error recorded for the change (see nfk_txn_get_error()).
 *
 * Anonymous sets (of rules given as text, and NFTA_*_SET_ID values of raw
 * rules) get set ids unique in the transaction, not just in their change.
 */
NFK_API int nfk_txn_add_table(struct nfk_txn *txn, int family, const char *table);
NFK_API int nfk_txn_add_chain(struct nfk_txn *txn, int family, const char *table,
			      const char *chain, const struct nfk_chain_opts *opts);
NFK_API int nfk_txn_add_set(struct nfk_txn *txn, int family, const char *table,
			    const char *set, const struct nfk_set_opts *opts);
/* Adds elements written in nft's element syntax ("10.0.0.1, 10.0.0.0/24",
 * "22 : accept"): what goes between the braces of an element block, and
 * nothing else ("1.2.3.4 }; flush ruleset" is a syntax error).  Errors
 * in it are located in this text (line 1 is its first line). */
NFK_API int nfk_txn_add_elements(struct nfk_txn *txn, int family, const char *table,
				 const char *set, const char *elements);
/* Adds a stateful object from its kind and body, as nft's add command
 * writes them after the name ("counter", "quota 10 mbytes", "limit rate
 * 10/second", "synproxy mss 1460 wscale 7", "ct helper { type \"ftp\"
 * protocol tcp; }"): one body, nothing after it. */
NFK_API int nfk_txn_add_object(struct nfk_txn *txn, int family, const char *table,
			       const char *name, const char *body);
/* Appends a rule made of expressions (see nfk_rule_*).  The rule is
 * copied; the caller still owns it.  Set ids its expressions carry
 * (NFTA_LOOKUP_SET_ID, NFTA_DYNSET_SET_ID, NFTA_OBJREF_SET_ID) are kept
 * and reserved: later anonymous sets of the transaction take higher ones. */
NFK_API int nfk_txn_add_rule(struct nfk_txn *txn, int family, const char *table,
			     const char *chain, const struct nfk_rule *rule);
/* Appends anything nft text can say, compiled into this transaction: the
 * explicit "nft text" entry, which may hold several commands. */
NFK_API int nfk_txn_add_text(struct nfk_txn *txn, const char *text);

/*
 * Commits everything atomically.  On failure nothing is applied, and each
 * kernel error is recorded with the change that caused it.  With
 * NFK_CTX_OFFLINE nothing is sent (--debug=netlink still prints the
 * batch).  Returns 0 or the first error's -errno.
 */
NFK_API int nfk_txn_commit(struct nfk_txn *txn);

/* ---- errors -------------------------------------------------------------- */

/* No change: an error about the batch as a whole. */
#define NFK_NO_CHANGE ((size_t)-1)

/*
 * One error of a transaction: the change it belongs to, where (when there
 * is a place to point at), the -errno and nft's message.
 *  - errors of an nfk_txn_add_* call (syntax, type, bad arguments) are
 *    recorded when the call fails; the location is in the change's text
 *    (nfk_txn_add_text(): the text or a file it includes; elements and
 *    object bodies: that text);
 *  - kernel errors are recorded by nfk_txn_commit() (each commit replaces
 *    the previous commit's); the location is the statement, element or
 *    name the kernel's extended ACK points at, as nft shows it.
 */
struct nfk_error {
	size_t change;          /* the nfk_txn_add_* call, 0-based; or NFK_NO_CHANGE */
	int error;              /* -errno */
	const char *message;    /* nft's, without "Error: " ("syntax error, unexpected ...",
				 * "Could not process rule: No such file or directory") */
	const char *file;       /* the file the location is in; NULL: text given as a string */
	unsigned line;          /* 1-based; 0: no location */
	unsigned col, col_end;  /* 1-based, inclusive */
	const void *internal;   /* for nfk_error_print() */
};

/* How many errors are recorded, and the i-th (NULL when out of range).
 * An error lives until the next commit (kernel errors) or as long as the
 * transaction (the others). */
NFK_API size_t nfk_txn_nerrors(const struct nfk_txn *txn);
NFK_API const struct nfk_error *nfk_txn_get_error(const struct nfk_txn *txn, size_t i);
/* The i-th error as before: its change, -errno and a description naming
 * the change ("add rule inet filter input: No such file or directory").
 * -ENOENT when out of range. */
NFK_API int nfk_txn_error(const struct nfk_txn *txn, size_t i, size_t *change,
			  const char **what);

/* Called for each error as it is recorded.  Without a callback, errors of
 * nfk_txn_add_* calls are printed to the ctx's err stream (as nft prints
 * them) and kernel errors are only recorded; with one (cb NULL: none),
 * nothing is printed. */
typedef void (*nfk_error_cb)(const struct nfk_error *e, void *arg);
NFK_API void nfk_txn_set_error_cb(struct nfk_txn *txn, nfk_error_cb cb, void *arg);
/* Prints e as nft does, to stream (a FILE *; NULL: stderr):
 *   Error: syntax error, unexpected '}', expecting comma or '}'
 *   1.2.3.4 }; flush ruleset
 *           ^
 * with "FILE:LINE:COL-COL: " first for files.  Its signature is an
 * nfk_error_cb's: nfk_txn_set_error_cb(txn, nfk_error_print, stderr). */
NFK_API void nfk_error_print(const struct nfk_error *e, void *stream);

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
